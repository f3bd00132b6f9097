// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lbib::text {

/// A set of many short strings (name parts, e-mail addresses, the digits of phone numbers),
/// held in one buffer and one table of offsets. Each string costs its bytes, four for its
/// length and eight to sixteen of table, where a std::unordered_set<std::string> costs a node
/// of its own and often a heap string of its own (about 110 bytes an address with malloc's
/// overhead): what a redactor of everyone in a register of 100,000 holds at once.
class StringSet {
 public:
  /// Adds `s`; false when it was there already.
  bool insert(std::string_view s);

  /// Removes `s`; false when it was not there. Its bytes stay in the buffer until the set goes.
  bool erase(std::string_view s);

  bool contains(std::string_view s) const;

  std::size_t size() const { return m_size; }
  bool empty() const { return m_size == 0; }

 private:
  // A slot holds no string, a removed one, or the offset of a string's length in m_bytes
  // plus slot_first.
  static constexpr std::uint32_t slot_empty = 0;
  static constexpr std::uint32_t slot_removed = 1;
  static constexpr std::uint32_t slot_first = 2;

  std::string_view at(std::uint32_t slot) const;
  // The slot that holds `s`, or with `for_insert` the first one it may go in when none does;
  // m_slots.size() when it is not there (and not for_insert).
  std::size_t find(std::string_view s, std::size_t hash, bool for_insert) const;
  void rehash(std::size_t capacity);

  std::string m_bytes;                 // each string after its length (four bytes)
  std::vector<std::uint32_t> m_slots;  // open addressing with linear probing; a power of two
  std::size_t m_size = 0;
  std::size_t m_used = 0;  // slots not empty: strings and removed ones
};

}  // namespace lbib::text
