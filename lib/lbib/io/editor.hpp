// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

/// Free text typed in an editor rather than on the command line, where it would stand in
/// `ps` and in the shell's history.
namespace lbib::io {

/// One text to write: the option it belongs to, a line saying what it is, and what it holds
/// now (empty when nothing).
struct EditField {
  std::string option;  // "--notes"
  std::string label;
  std::string text;
};

/// Where a private temporary file for `edit_texts` goes: $XDG_RUNTIME_DIR, else /dev/shm (both
/// in memory, never on disk), else $TMPDIR or /tmp.
std::string private_temp_dir(const std::function<std::optional<std::string>(const char*)>& getenv);

/// Opens `editor` (a shell command, as $VISUAL or $EDITOR hold) on a private temporary file
/// (0600) in `dir` that lists each field under a line "# --option: label", and returns the
/// texts written under each, in order (empty when left empty). The file is removed on every
/// path. Error(usage) when the editor fails or everything was left empty.
std::vector<std::string> edit_texts(const std::string& editor, const std::string& dir,
                                    const std::string& intro, const std::vector<EditField>& fields);

/// Parses what the editor left: the text under each "# --option" line, comments dropped,
/// surrounding blank lines trimmed. Exposed for tests.
std::vector<std::string> parse_edited(const std::string& content,
                                      const std::vector<EditField>& fields);

}  // namespace lbib::io
