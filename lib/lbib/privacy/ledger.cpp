// SPDX-License-Identifier: MIT
#include "lbib/privacy/ledger.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "lbib/error.hpp"

namespace lbib::privacy::ledger {
namespace {

bool g_pending = false;  // one command a process: set once an append is on disk

}  // namespace

bool pending() {
  return g_pending;
}

void committed() {
  g_pending = false;
}

std::filesystem::path path_for(const std::filesystem::path& register_path) {
  auto p = register_path;
  p += ".erasures";
  return p;
}

void add_line(std::string& lines, std::string_view kind, std::int64_t id, std::string_view on,
              std::string_view register_id) {
  fmt::format_to(std::back_inserter(lines), "{} {} {} {}\n", kind, id, on, register_id);
}

std::size_t line_size(std::string_view kind, std::int64_t id, std::string_view on,
                      std::string_view register_id) {
  return fmt::formatted_size("{} {} {} {}\n", kind, id, on, register_id);
}

void append(const std::filesystem::path& ledger, std::string_view text) {
  if (text.empty()) {
    return;
  }
  // O_NOFOLLOW: the ledger is never reached through a link; the mode comes from lbib's umask.
  const int fd =
      ::open(ledger.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) {
    throw make_error(ExitCode::io, "cannot write the erasure ledger {}: {}", ledger.string(),
                     std::strerror(errno));
  }
  // The lines are all there or none: a disk that fills up in the middle must not leave the first
  // of them, which the next command would apply as erasures that never happened.
  struct stat before {};
  if (::fstat(fd, &before) != 0) {
    const int err = errno;
    ::close(fd);
    throw make_error(ExitCode::io, "cannot read the erasure ledger {}: {}", ledger.string(),
                     std::strerror(err));
  }
  const auto undo = [&] {
    static_cast<void>(::ftruncate(fd, before.st_size));  // best effort: the error says the rest
    ::close(fd);
  };
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      undo();
      throw make_error(ExitCode::io, "cannot write the erasure ledger {}: {}", ledger.string(),
                       std::strerror(err));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    undo();
    throw make_error(ExitCode::io, "cannot sync the erasure ledger {}: {}", ledger.string(),
                     std::strerror(err));
  }
  ::close(fd);
  g_pending = true;
}

void for_each(const std::filesystem::path& ledger, const std::string& register_id,
              const std::function<void(const Entry&)>& f) {
  std::ifstream in(ledger);
  std::string line;
  Entry e;
  std::string id;
  std::istringstream words;
  while (std::getline(in, line)) {
    words.clear();
    words.str(line);
    if (!(words >> e.kind >> id >> e.on >> e.register_id) ||
        (e.kind != "expert" && e.kind != "borrower") || e.on.size() != 10 ||
        e.register_id != register_id) {
      continue;
    }
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), e.id);
    if (ec != std::errc() || end != id.data() + id.size() || e.id < 1) {
      continue;
    }
    f(e);
  }
}

}  // namespace lbib::privacy::ledger
