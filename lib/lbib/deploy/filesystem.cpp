// SPDX-License-Identifier: MIT
#include "lbib/deploy/filesystem.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <utility>

#include "lbib/error.hpp"

namespace lbib::deploy {
namespace fs = std::filesystem;

namespace {

// The nearest existing path at or above `path` (a register not yet created has a parent).
fs::path existing(fs::path path) {
  std::error_code ec;
  path = fs::absolute(path, ec);
  while (!fs::exists(fs::symlink_status(path, ec)) && path.has_relative_path()) {
    path = path.parent_path();
  }
  return path;
}

// Network and cluster filesystems by their statfs magic (linux/magic.h and the kernel's fs/).
constexpr std::array<std::pair<std::uint64_t, std::string_view>, 12> network_types{{
    {0x6969, "NFS"},
    {0x517B, "SMB/CIFS"},
    {0xFF534D42, "SMB/CIFS"},
    {0xFE534D42, "SMB/CIFS"},
    {0x65735546, "FUSE (sshfs, ...)"},
    {0x73757245, "Coda"},
    {0x5346414F, "AFS"},
    {0x6B414653, "AFS"},
    {0x00C36400, "Ceph"},
    {0x01021997, "9P"},
    {0x01161970, "GFS2"},
    {0x47504653, "GPFS"},
}};

// The device-mapper uuid of block device `dev` and, recursively, of the devices beneath it
// (LVM on LUKS: the LVM volume's slave is the crypt device).
bool crypt_below(const fs::path& block, int depth) {
  if (depth > 8) {
    return false;
  }
  std::ifstream uuid(block / "dm" / "uuid");
  std::string line;
  if (uuid && std::getline(uuid, line) && line.starts_with("CRYPT-")) {
    return true;
  }
  std::error_code ec;
  for (const auto& slave : fs::directory_iterator(block / "slaves", ec)) {
    if (crypt_below(slave.path(), depth + 1)) {
      return true;
    }
  }
  // A partition's own folder has no slaves; its whole disk's does (rare, but cheap to ask).
  return false;
}

}  // namespace

std::optional<std::uint64_t> filesystem_type(const fs::path& path) {
  if (const char* fake = std::getenv("LBIB_TEST_FSTYPE"); fake != nullptr && *fake != '\0') {
    char* end = nullptr;
    const auto value = std::strtoull(fake, &end, 0);
    if (end != nullptr && *end == '\0') {
      return value;
    }
  }
  struct statfs st {};
  if (::statfs(existing(path).c_str(), &st) != 0) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(static_cast<std::uint32_t>(st.f_type));
}

std::optional<std::string_view> network_filesystem(std::uint64_t type) {
  for (const auto& [magic, name] : network_types) {
    if (magic == type) {
      return name;
    }
  }
  return std::nullopt;
}

void refuse_network_filesystem(const fs::path& path) {
  const auto type = filesystem_type(path);
  if (!type) {
    return;
  }
  if (const auto name = network_filesystem(*type)) {
    throw make_error(ExitCode::no_perm,
                     "{} is on a network filesystem ({}); SQLite's locking is not safe there "
                     "and the register could be damaged: keep it on a local disk",
                     path.string(), *name);
  }
}

Encryption encryption_of(const fs::path& path, const fs::path& sysfs) {
  const fs::path at = existing(path);
  struct stat st {};
  if (::stat(at.c_str(), &st) == 0) {
    const auto block = sysfs / "dev" / "block" /
                       (std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev)));
    if (crypt_below(block, 0)) {
      return Encryption::dm_crypt;
    }
  }
  // fscrypt: the directory (or file) has an encryption policy.
  for (const fs::path& p : {at, at.parent_path()}) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
      continue;
    }
    fscrypt_get_policy_ex_arg arg{};
    arg.policy_size = sizeof(arg.policy);
    const int rc = ::ioctl(fd, FS_IOC_GET_ENCRYPTION_POLICY_EX, &arg);
    ::close(fd);
    if (rc == 0) {
      return Encryption::fscrypt;
    }
  }
  return Encryption::none_found;
}

}  // namespace lbib::deploy
