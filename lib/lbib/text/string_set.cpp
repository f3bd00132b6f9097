// SPDX-License-Identifier: MIT
#include "lbib/text/string_set.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>

namespace lbib::text {
namespace {

constexpr std::size_t min_capacity = 16;

std::size_t hash_of(std::string_view s) {
  return std::hash<std::string_view>{}(s);
}

}  // namespace

std::string_view StringSet::at(std::uint32_t slot) const {
  const std::size_t offset = slot - slot_first;
  std::uint32_t length = 0;
  std::memcpy(&length, m_bytes.data() + offset, sizeof length);
  return {m_bytes.data() + offset + sizeof length, length};
}

std::size_t StringSet::find(std::string_view s, std::size_t hash, bool for_insert) const {
  // Linear probing: at most half the slots are used, so an empty one ends every search.
  const std::size_t mask = m_slots.size() - 1;
  std::size_t removed = m_slots.size();
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const auto slot = m_slots[i];
    if (slot == slot_empty) {
      if (!for_insert) {
        return m_slots.size();
      }
      return removed < m_slots.size() ? removed : i;
    }
    if (slot == slot_removed) {
      if (removed == m_slots.size()) {
        removed = i;  // the first on the way: where a new one goes
      }
    } else if (at(slot) == s) {
      return i;
    }
  }
}

void StringSet::rehash(std::size_t capacity) {
  std::vector<std::uint32_t> old;
  old.swap(m_slots);
  m_slots.assign(capacity, slot_empty);
  const std::size_t mask = capacity - 1;
  for (const auto slot : old) {
    if (slot < slot_first) {
      continue;
    }
    std::size_t i = hash_of(at(slot)) & mask;
    while (m_slots[i] != slot_empty) {
      i = (i + 1) & mask;
    }
    m_slots[i] = slot;
  }
  m_used = m_size;
}

bool StringSet::insert(std::string_view s) {
  if ((m_used + 1) * 2 > m_slots.size()) {
    rehash(std::max(min_capacity, std::bit_ceil((m_size + 1) * 2)));
  }
  const auto hash = hash_of(s);
  const auto i = find(s, hash, true);
  if (m_slots[i] >= slot_first) {
    return false;  // there already
  }
  const std::size_t offset = m_bytes.size();
  if (s.size() > std::numeric_limits<std::uint32_t>::max() ||
      offset + sizeof(std::uint32_t) + s.size() >
          std::numeric_limits<std::uint32_t>::max() - slot_first) {
    throw std::length_error("text::StringSet holds at most 4 GiB");
  }
  const auto length = static_cast<std::uint32_t>(s.size());
  m_bytes.append(reinterpret_cast<const char*>(&length), sizeof length);
  m_bytes.append(s);
  if (m_slots[i] == slot_empty) {
    ++m_used;
  }
  m_slots[i] = static_cast<std::uint32_t>(offset + slot_first);
  ++m_size;
  return true;
}

bool StringSet::erase(std::string_view s) {
  if (m_size == 0) {
    return false;
  }
  const auto i = find(s, hash_of(s), false);
  if (i == m_slots.size()) {
    return false;
  }
  m_slots[i] = slot_removed;
  --m_size;
  return true;
}

bool StringSet::contains(std::string_view s) const {
  return m_size != 0 && find(s, hash_of(s), false) != m_slots.size();
}

}  // namespace lbib::text
