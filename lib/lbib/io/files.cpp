// SPDX-License-Identifier: MIT
#include "lbib/io/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "lbib/error.hpp"

namespace lbib::io {

void write_private_file(const std::filesystem::path& path, const std::string& content,
                        bool shared_group) {
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
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw make_error(ExitCode::io, "cannot write {}: {}", path.string(), std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    throw make_error(ExitCode::io, "cannot write {}: {}", path.string(), std::strerror(errno));
  }
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
