// SPDX-License-Identifier: MIT
#include "lbib/mail/outbox.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "lbib/error.hpp"
#include "lbib/io/files.hpp"

namespace lbib::mail {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view manifest_format = "lbib-outbox";
constexpr int manifest_version = 1;

// The Message-ID header of a message lbib composed (on one line, without angle brackets).
std::string message_id_of(const std::string& eml) {
  std::istringstream in(eml);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty()) {
      break;
    }
    constexpr std::string_view key = "Message-ID: <";
    if (line.rfind(key, 0) == 0 && line.back() == '>') {
      return line.substr(key.size(), line.size() - key.size() - 1);
    }
  }
  return {};
}

}  // namespace

std::vector<fs::path> write_outbox(const fs::path& dir, std::string_view kind, std::int64_t request,
                                   const std::vector<Outgoing>& messages) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw make_error(ExitCode::cant_create, "{} is not a directory", dir.string());
  }
  // One sync for the whole outbox, and a message appears only whole, after its manifest.
  io::FileBatch batch(dir);
  std::vector<fs::path> written;
  const auto stamp = std::time(nullptr);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    const std::string name = fmt::format("{}-{}-{}-{}", kind, request, stamp, i + 1);
    const nlohmann::json manifest = {
        {"format", manifest_format}, {"version", manifest_version},        {"kind", kind},
        {"request", request},        {"message_id", m.message.message_id}, {"experts", m.experts}};
    batch.add(name + ".json", manifest.dump(2) + "\n");
    batch.add(name + ".eml", render(m.message));
    written.push_back(dir / (name + ".eml"));
  }
  batch.commit();
  return written;
}

Manifest read_manifest(const fs::path& eml, std::string_view kind, std::int64_t request) {
  const fs::path path = fs::path(eml).replace_extension(".json");
  const std::string text = io::read_file(path, "manifest");
  Manifest m;
  try {
    const auto j = nlohmann::json::parse(text);
    if (j.at("format").get<std::string>() != manifest_format ||
        j.at("version").get<int>() != manifest_version) {
      throw make_error(ExitCode::data, "{} is not an lbib outbox manifest", path.string());
    }
    m.kind = j.at("kind").get<std::string>();
    m.request = j.at("request").get<std::int64_t>();
    m.message_id = j.at("message_id").get<std::string>();
    m.experts = j.at("experts").get<std::vector<std::int64_t>>();
  } catch (const nlohmann::json::exception&) {
    throw make_error(ExitCode::data, "{} is not a valid lbib outbox manifest", path.string());
  }
  if (m.kind != kind) {
    throw make_error(ExitCode::data, "{} is a {} message, not a {} message", eml.string(), m.kind,
                     kind);
  }
  if (m.request != request) {
    throw make_error(ExitCode::data, "{} belongs to request {}, not {}", eml.string(), m.request,
                     request);
  }
  if (message_id_of(io::read_file(eml, "message")) != m.message_id) {
    throw make_error(ExitCode::data, "{} does not match its manifest (Message-ID differs)",
                     eml.string());
  }
  return m;
}

std::string preview(const Outgoing& o) {
  const Message& m = o.message;
  if (m.bcc.empty() && !m.to.empty() && m.to.front().email != m.from.email) {
    // An individual message: its one recipient is in To, and nobody is in Bcc.
    return fmt::format("From: {}\nTo: {} (ids {})\nReply-To: {}\nSubject: {}\n\n{}\n", m.from.email,
                       m.to.front().email, fmt::join(o.experts, ", "),
                       m.reply_to ? m.reply_to->name + " <" + m.reply_to->email + ">" : "",
                       m.subject, m.body);
  }
  return fmt::format(
      "From: {}\nTo: {}\nBcc: {} {} (ids {})\nReply-To: {}\nSubject: {}\n\n{}\n", m.from.email,
      m.to.empty() ? "" : m.to.front().email, m.bcc.size(),
      m.bcc.size() == 1 ? "expert" : "experts", fmt::join(o.experts, ", "),
      m.reply_to ? m.reply_to->name + " <" + m.reply_to->email + ">" +
                       (m.reply_copy ? ", " + m.reply_copy->name + " <" + m.reply_copy->email + ">"
                                     : std::string())
                 : "",
      m.subject, m.body);
}

namespace {

// Each address once, with every id it stands for: two records sharing an address (a person
// registered twice, a couple) get one copy, and both are recorded as sent.
std::vector<std::pair<std::string, std::vector<std::int64_t>>> distinct_addresses(
    const std::vector<std::pair<std::int64_t, std::string>>& recipients) {
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> addresses;
  // Found by the address in lowercase (ASCII, as mail systems compare): one lookup per
  // recipient, so 12,000 recipients take milliseconds, not a comparison with every other one.
  std::unordered_map<std::string, std::size_t> index;
  index.reserve(recipients.size());
  for (const auto& [id, address] : recipients) {
    std::string key = address;
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) {
      return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    const auto [it, added] = index.try_emplace(std::move(key), addresses.size());
    if (added) {
      addresses.push_back({address, {id}});
    } else {
      addresses[it->second].second.push_back(id);
    }
  }
  return addresses;
}

}  // namespace

std::vector<Outgoing> batches(const Message& message,
                              const std::vector<std::pair<std::int64_t, std::string>>& bcc,
                              std::size_t batch_size, std::string_view tag) {
  const auto addresses = distinct_addresses(bcc);
  std::vector<Outgoing> out;
  for (std::size_t start = 0; start < addresses.size(); start += batch_size) {
    Outgoing o;
    o.message = message;
    o.message.message_id = make_message_id(tag, message.from.email);
    const std::size_t end = std::min(addresses.size(), start + batch_size);
    for (std::size_t i = start; i < end; ++i) {
      o.message.bcc.push_back({"", addresses[i].first});
      o.experts.insert(o.experts.end(), addresses[i].second.begin(), addresses[i].second.end());
    }
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<Outgoing> individual(const Message& message,
                                 const std::vector<std::pair<std::int64_t, std::string>>& to,
                                 std::string_view tag) {
  std::vector<Outgoing> out;
  for (const auto& [address, ids] : distinct_addresses(to)) {
    Outgoing o;
    o.message = message;
    o.message.to = {{"", address}};
    o.message.bcc.clear();
    o.message.message_id = make_message_id(tag, message.from.email);
    o.experts = ids;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace lbib::mail
