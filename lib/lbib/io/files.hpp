// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>

namespace lbib::io {

/// Writes `content` to a new file at `path`, mode 0600 (0660 in shared-group mode), refusing
/// to overwrite (Error cant_create) or to follow a symbolic link, and syncs it to disk.
void write_private_file(const std::filesystem::path& path, const std::string& content,
                        bool shared_group = false);

/// The whole of the file at `path`; Error(no_input) when it cannot be read. `what` names the
/// file's role in the message ("manifest", "export").
std::string read_file(const std::filesystem::path& path, std::string_view what);

}  // namespace lbib::io
