// SPDX-License-Identifier: MIT
#include "lbib/io/files.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "lbib/error.hpp"

namespace lbib::io {

namespace {

/// An output buffer over a file descriptor: 64 KiB at a time, every error remembered.
class FdBuffer : public std::streambuf {
 public:
  // Not zeroed first: a mailing writes hundreds of small files, each with its own buffer.
  explicit FdBuffer(int fd)
      : m_fd(fd), m_buffer(std::make_unique_for_overwrite<char[]>(buffer_size)) {
    setp(m_buffer.get(), m_buffer.get() + buffer_size);
  }
  /// errno of the first failed write, or 0.
  int error() const { return m_error; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) {
      return traits_type::eof();
    }
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const char* p = pbase();
    while (p < pptr()) {
      const ssize_t n = ::write(m_fd, p, static_cast<std::size_t>(pptr() - p));
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        m_error = errno;
        return false;
      }
      p += n;
    }
    setp(m_buffer.get(), m_buffer.get() + buffer_size);
    return true;
  }

  static constexpr std::size_t buffer_size = 64 * 1024;
  int m_fd;
  std::unique_ptr<char[]> m_buffer;
  int m_error = 0;
};

// A new file at `path` (never over an existing one, never through a symbolic link) with what
// `write` streams; synced to disk when `sync`. On any failure the new file is removed again.
void write_new_file(const std::filesystem::path& path,
                    const std::function<void(std::ostream&)>& write, bool shared_group, bool sync) {
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
                        shared_group ? 0660 : 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      throw make_error(ExitCode::cant_create, "{} already exists; lbib never overwrites it",
                       path.string());
    }
    throw make_error(ExitCode::cant_create, "cannot create {}: {}", path.string(),
                     std::strerror(errno));
  }
  // Nothing half-written: on any failure the new file is removed again.
  const auto fail = [&](int err) {
    ::close(fd);
    ::unlink(path.c_str());
    return make_error(ExitCode::io, "cannot write {}: {}", path.string(), std::strerror(err));
  };
  FdBuffer buffer(fd);
  std::ostream out(&buffer);
  try {
    write(out);
  } catch (...) {
    ::close(fd);
    ::unlink(path.c_str());
    throw;
  }
  out.flush();
  if (!out || buffer.error() != 0) {
    throw fail(buffer.error() != 0 ? buffer.error() : EIO);
  }
  if (sync && ::fsync(fd) != 0) {
    throw fail(errno);
  }
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    throw make_error(ExitCode::io, "cannot write {}: {}", path.string(), std::strerror(err));
  }
}

}  // namespace

void write_private_file(const std::filesystem::path& path,
                        const std::function<void(std::ostream&)>& write, bool shared_group) {
  write_new_file(path, write, shared_group, true);
}

void write_private_file(const std::filesystem::path& path, const std::string& content,
                        bool shared_group) {
  write_private_file(
      path, [&](std::ostream& out) { out << content; }, shared_group);
}

FileBatch::FileBatch(std::filesystem::path dir, bool shared_group)
    : m_dir(std::move(dir)), m_shared_group(shared_group) {
  std::string pattern = (m_dir / ".lbib-staging-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw make_error(ExitCode::cant_create, "cannot create a staging folder in {}: {}",
                     m_dir.string(), std::strerror(errno));
  }
  m_staging = pattern;
}

FileBatch::~FileBatch() {
  std::error_code ec;
  std::filesystem::remove_all(m_staging, ec);
}

void FileBatch::add(const std::string& name, const std::function<void(std::ostream&)>& write) {
  const auto target = m_dir / name;
  struct stat st {};
  if (::lstat(target.c_str(), &st) == 0) {
    throw make_error(ExitCode::cant_create, "{} already exists; lbib never overwrites it",
                     target.string());
  }
  write_new_file(m_staging / name, write, m_shared_group, false);
  m_names.push_back(name);
}

void FileBatch::add(const std::string& name, const std::string& content) {
  add(name, [&](std::ostream& out) { out << content; });
}

std::vector<std::filesystem::path> FileBatch::commit() {
  const auto fail = [&](const std::filesystem::path& what, int err) {
    return make_error(ExitCode::io, "cannot write {}: {}", what.string(), std::strerror(err));
  };
  // One sync for every file of the batch, before any of them is given its name.
  const int staging = ::open(m_staging.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (staging < 0) {
    throw fail(m_staging, errno);
  }
  const int synced = ::syncfs(staging);
  const int sync_errno = errno;
  ::close(staging);
  if (synced != 0) {
    throw fail(m_staging, sync_errno);
  }
  std::vector<std::filesystem::path> placed;
  const auto undo = [&] {
    for (const auto& path : placed) {
      ::unlink(path.c_str());
    }
  };
  for (const auto& name : m_names) {
    const auto from = m_staging / name;
    const auto to = m_dir / name;
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0) {
      const int err = errno;
      undo();
      if (err == EEXIST) {
        throw make_error(ExitCode::cant_create, "{} already exists; lbib never overwrites it",
                         to.string());
      }
      throw fail(to, err);
    }
    placed.push_back(to);
  }
  const int dir = ::open(m_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0 || ::fsync(dir) != 0) {
    const int err = errno;
    if (dir >= 0) {
      ::close(dir);
    }
    undo();
    throw fail(m_dir, err);
  }
  ::close(dir);
  m_names.clear();
  ::rmdir(m_staging.c_str());  // empty now; the destructor removes it in any case
  return placed;
}

std::string read_file(const std::filesystem::path& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw make_error(ExitCode::no_input, "cannot read {} {}", what, path.string());
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace lbib::io
