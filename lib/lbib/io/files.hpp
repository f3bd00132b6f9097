// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

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

/// New private files made visible together, with one sync for the whole batch instead of
/// one per file: each is written into a hidden staging folder inside `dir`
/// (.lbib-staging-XXXXXX), and commit() syncs them to disk at once, then renames each into
/// `dir` (never over an existing file) and syncs `dir`. A file in `dir` is therefore always
/// complete, also after a crash; before commit(), after a failure (every file commit() placed
/// is removed again) or when the batch is dropped, none is there. The destructor removes the
/// staging folder.
class FileBatch {
 public:
  explicit FileBatch(std::filesystem::path dir, bool shared_group = false);
  ~FileBatch();
  FileBatch(const FileBatch&) = delete;
  FileBatch& operator=(const FileBatch&) = delete;

  /// Stages `name` (a file name, no folder); Error(cant_create) when DIR/name exists already.
  void add(const std::string& name, const std::string& content);
  void add(const std::string& name, const std::function<void(std::ostream&)>& write);
  /// Syncs and places every staged file in the order added; returns their paths in `dir`.
  std::vector<std::filesystem::path> commit();

 private:
  std::filesystem::path m_dir;
  std::filesystem::path m_staging;
  bool m_shared_group;
  std::vector<std::string> m_names;
};

/// The whole of the file at `path`; Error(no_input) when it cannot be read. `what` names the
/// file's role in the message ("manifest", "export").
std::string read_file(const std::filesystem::path& path, std::string_view what);

}  // namespace lbib::io
