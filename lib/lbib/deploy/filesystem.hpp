// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

/// What lbib asks of the filesystem under a register: that it is local (SQLite's WAL locking
/// needs shared memory and POSIX locks that network filesystems do not give reliably) and,
/// since the register holds special-category data, whether it is encrypted at rest.
namespace lbib::deploy {

/// The statfs(2) f_type of the filesystem holding `path` (a missing file is looked up through
/// its nearest existing parent), or nullopt when it cannot be read. $LBIB_TEST_FSTYPE (a
/// number, e.g. 0x6969 for NFS) replaces the answer: the tests' seam, documented in lbib(1).
std::optional<std::uint64_t> filesystem_type(const std::filesystem::path& path);

/// The name of a network filesystem type ("NFS", "SMB/CIFS", "FUSE (sshfs, ...)", ...), or
/// nullopt when `type` is a local one.
std::optional<std::string_view> network_filesystem(std::uint64_t type);

/// Throws Error(no_perm) naming the filesystem when `path` (a register, existing or to be
/// created) lies on a network filesystem.
void refuse_network_filesystem(const std::filesystem::path& path);

/// How the data under a path is encrypted at rest, as far as lbib can see.
enum class Encryption { dm_crypt, fscrypt, none_found };

/// Looks for dm-crypt (the block device under `path`, or a device beneath it, has a device
/// mapper uuid starting "CRYPT-" in `sysfs`/dev/block/MAJ:MIN/...) and for fscrypt (an
/// encryption policy on the file or its directory).
Encryption encryption_of(const std::filesystem::path& path,
                         const std::filesystem::path& sysfs = "/sys");

}  // namespace lbib::deploy
