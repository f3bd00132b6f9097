// SPDX-License-Identifier: MIT
#include "lbib/io/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "lbib/error.hpp"

namespace lbib::io {

namespace {

/// An output buffer over a file descriptor: 64 KiB at a time, every error remembered.
class FdBuffer : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : m_fd(fd), m_buffer(64 * 1024) {
    setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
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
    setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
    return true;
  }

  int m_fd;
  std::vector<char> m_buffer;
  int m_error = 0;
};

}  // namespace

void write_private_file(const std::filesystem::path& path,
                        const std::function<void(std::ostream&)>& write, bool shared_group) {
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
  if (::fsync(fd) != 0) {
    throw fail(errno);
  }
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    throw make_error(ExitCode::io, "cannot write {}: {}", path.string(), std::strerror(err));
  }
}

void write_private_file(const std::filesystem::path& path, const std::string& content,
                        bool shared_group) {
  write_private_file(
      path, [&](std::ostream& out) { out << content; }, shared_group);
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
