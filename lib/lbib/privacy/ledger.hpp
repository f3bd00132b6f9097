// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

/// The erasure ledger: a file beside the register (REGISTER.erasures) listing every erasure by
/// kind, id and date, and nothing personal. It is not part of the register, so an erasure
/// survives restoring an older backup or importing an older hand-over: lbib re-applies what
/// the ledger lists when it opens a register that does not show it.
namespace lbib::privacy::ledger {

/// One erasure: "expert" or "borrower", the id, the day (YYYY-MM-DD), and the identity of
/// the register it was made in (db::register_id), so that a new register at the same path is
/// never given another register's erasures.
struct Entry {
  std::string kind;
  std::int64_t id = 0;
  std::string on;
  std::string register_id;
};

/// The ledger that belongs to the register at `register_path`.
std::filesystem::path path_for(const std::filesystem::path& register_path);

/// Adds the line of one entry (the fields of an Entry) to `lines`, for append.
void add_line(std::string& lines, std::string_view kind, std::int64_t id, std::string_view on,
              std::string_view register_id);

/// The length of that line, to reserve room for many.
std::size_t line_size(std::string_view kind, std::int64_t id, std::string_view on,
                      std::string_view register_id);

/// Appends `lines` (add_line's) whole or not at all, and syncs the file to disk (created 0600,
/// or 0660 in shared-group mode). Error(io) when it cannot be written (a full disk, a file
/// size limit: lbib ignores SIGXFSZ); the ledger is then truncated back to what it was. Only
/// a process killed in the middle of the write can leave part of the lines.
void append(const std::filesystem::path& ledger, std::string_view lines);

/// Whether this process appended erasures to a ledger whose transaction has not committed
/// (the ledger is written before the commit): an error now leaves the register as it was but
/// the erasure recorded, and the next command that opens the register carries it out. The
/// error message says so. `committed` ends it.
bool pending();
void committed();

/// Calls `f` with each entry of the ledger for the register `register_id`, in order (one Entry
/// reused: a ledger of everyone erased is not held at once); nothing when there is no ledger.
/// A line that is not an entry (a torn last line after a crash) is skipped.
void for_each(const std::filesystem::path& ledger, const std::string& register_id,
              const std::function<void(const Entry&)>& f);

}  // namespace lbib::privacy::ledger
