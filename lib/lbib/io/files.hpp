// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace lbib::io {

/// Writes `content` to a new file at `path`, mode 0600 (0660 in shared-group mode), refusing
/// to overwrite (Error cant_create) or to follow a symbolic link, and syncs it to disk. On a
/// failure (Error io) the new file is removed: nothing is left half-written.
void write_private_file(const std::filesystem::path& path, const std::string& content,
                        bool shared_group = false);

/// The same, with the content streamed by `write` as it is produced (a large export need not
/// be held in memory). An exception from `write` removes the file and passes on.
void write_private_file(const std::filesystem::path& path,
                        const std::function<void(std::ostream&)>& write, bool shared_group = false);

/// The whole of the file at `path`; Error(no_input) when it cannot be read. `what` names the
/// file's role in the message ("manifest", "export").
std::string read_file(const std::filesystem::path& path, std::string_view what);

}  // namespace lbib::io
