// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/output/format.hpp"
#include "lbib/text/date.hpp"

/// Data protection: consent texts, the data subject's access and erasure, retention, requests
/// from data subjects and the record of processing (GDPR articles 5, 12, 15-17, 20, 30).
namespace lbib::privacy {

/// Everything the register holds about expert `id`, for article 15 (access) and 20
/// (portability): the person's record, every row of every table linked to them (derived from
/// the schema), consents with their texts, the requests and follow-up summaries that were
/// actually sent to them. Other registered people's names, e-mails and phones inside shared
/// text are redacted. Reads in a read transaction of its own (the caller holds none), so the
/// texts redacted are the texts whose mentions were looked for.
nlohmann::ordered_json export_expert(db::Database& db, const config::Config& config,
                                     std::int64_t id);

/// Everything the register holds about borrower `id`'s contact person: the borrower's
/// record, its requests (experts' mentions redacted), survey answers and audit entries.
nlohmann::ordered_json export_borrower(db::Database& db, const config::Config& config,
                                       std::int64_t id);

/// A registered person a text mentions by whole name, e-mail or phone.
struct Mention {
  std::string kind;  // expert or borrower (its contact person)
  std::int64_t id = 0;
  std::string name;
};

/// The registered people (experts and borrowers' contact persons, not erased) that `text`
/// mentions: shown before a text leaves the library, such as a follow-up summary.
std::vector<Mention> mentions(db::Database& db, std::string_view text);

/// One line of what an erasure did or would do: the table, the field, what happened and to
/// how many values. Never a value.
struct ErasureLine {
  std::string table;
  std::string field;
  std::string action;  // removed, deleted, cleared, redacted, kept-year
  std::int64_t count = 0;
};
using ErasureReport = std::vector<ErasureLine>;

/// How an erasure runs: for real (recorded in the erasure ledger), as a dry run (the caller
/// rolls back; nothing is recorded), or re-applied from the ledger after a restore.
enum class EraseMode { erase, dry_run, reapply };

/// Erases experts (article 17): their contact data, experiences, consents and own free text
/// (notes, survey answers, description, data-subject request notes) go; every mention of them
/// in shared free text (request, pre-meeting, loan and follow-up notes, answers, quotes,
/// outreach notes, Table 1's comments) is replaced by "[raderad]". An anonymous stub keeps
/// the year of the interview, the channel, status and date left, and the ids in invitations
/// and loans, so reports keep their numbers. The caller commits (or, for a dry run, does not)
/// and then runs compact().
ErasureReport erase_experts(db::WriteTransaction& tx, const std::vector<std::int64_t>& ids,
                            text::Date on, const audit::Actor& actor,
                            EraseMode mode = EraseMode::erase);

/// The day of an erasure asked for by a person (`expert erase`, `borrower erase` with
/// --date): today or earlier, as every recorded fact. Throws Error(data) naming it.
void check_erasure_date(text::Date on, text::Date today);

/// erase_experts() for one expert.
ErasureReport erase(db::WriteTransaction& tx, std::int64_t id, text::Date on,
                    const audit::Actor& actor, EraseMode mode = EraseMode::erase);

/// Erases borrowers' contact persons: name, e-mail and phone go, their survey answers are
/// cleared and their mentions in shared text redacted; the organisation and its requests stay.
ErasureReport erase_borrowers(db::WriteTransaction& tx, const std::vector<std::int64_t>& ids,
                              text::Date on, const audit::Actor& actor,
                              EraseMode mode = EraseMode::erase);

/// Re-applies the erasures the ledger beside the register lists and the register does not
/// show (it was restored from an older copy, or imported from an older hand-over). Returns
/// how many people were erased again.
std::size_t reapply_ledger(db::Database& db, const audit::Actor& actor);

/// After an erasure: checkpoints the WAL into the database (TRUNCATE), vacuums, and
/// checkpoints again, so no erased byte stays in the file or its WAL. Returns false when
/// another connection kept the WAL from being emptied (run it again later).
bool compact(db::Database& db);

/// One thing retention makes due (for `lbib remind` and `lbib gdpr purge`).
struct Due {
  /// erase (left long enough ago), erase-paused (paused too long), erase-paused-soon (a
  /// warning before), reconfirm (consent too old), erase-borrower (a contact person whose
  /// last request ended long ago), clear-request-notes, delete-audit,
  /// delete-subject-requests, delete-payments, subject-request (to answer), ask-join (a
  /// person recruited for one assignment whose request closed: do they join the library?),
  /// erase-assignment (they did not join, and the configured days have passed)
  std::string kind;
  std::string subject;  // expert, borrower, request, subject_request, register
  std::int64_t id = 0;  // the subject's id (0 for the register)
  text::Date since;
  std::string text;       // one sentence in the language of the messages, with the command
  std::string command{};  // the command it names, complete: it runs as printed
  /// The day it falls due: `since` and its configured period (a warning: the day of the
  /// erasure it warns of; asking whether someone joins: the day their request closed).
  text::Date due_on{};
};

/// What retention and data-subject requests make due on `today`.
std::vector<Due> due(db::Database& db, const config::Config& config, text::Date today);

/// What `lbib check` finds wrong with the keys derived from names, e-mails and phones: the
/// identity keys duplicates are found by (migration 24) and the mention keys a subject's export
/// finds other people's mentions by (migration 25). Lbib writes them with every name, but a
/// register changed outside lbib may hold keys that no longer match, which could let a
/// duplicate pass or a name through another person's export, or keys of the erased, which are
/// personal data. One line each, with how many; empty when every key is as the names give it.
std::vector<std::string> check_derived_keys(db::Database& db);

/// Writes every living person's derived keys anew and removes all others (`lbib check
/// --rebuild-keys`).
void rebuild_derived_keys(db::WriteTransaction& tx, const audit::Actor& actor);

/// The same items as `due`, in the same order, each given to `visit` as it is read, so the
/// caller keeps only what it needs (`lbib remind`'s counts, or one row at a time).
void each_due(db::Database& db, const config::Config& config, text::Date today,
              const std::function<void(const Due&)>& visit);

/// What purge did.
struct PurgeResult {
  std::vector<std::int64_t> erased;
  std::vector<std::int64_t> paused;  // consent not re-confirmed in time: not matched until it is
  std::vector<std::int64_t> borrowers_erased;
  std::vector<std::int64_t> requests_cleared;
  std::int64_t audit_deleted = 0;
  std::int64_t subject_requests_deleted = 0;
  std::int64_t payments_deleted = 0;
};

/// Carries out what retention makes due (every kind of Due but warnings and subject
/// requests to answer).
PurgeResult purge(db::WriteTransaction& tx, const config::Config& config, text::Date today,
                  const audit::Actor& actor);

/// The day a data-subject request received on `received` must be answered: one month later,
/// the last day of the month when that day does not exist (art. 12(3)).
text::Date answer_due(text::Date received);

/// Re-confirms the consents in force of expert `id` on `on` (new records, current text version).
void reconfirm(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
               text::Date on, const audit::Actor& actor);

/// Logs a request from a data subject; due one month after it was received (art. 12(3)).
std::int64_t add_subject_request(db::WriteTransaction& tx, std::optional<std::int64_t> expert,
                                 std::string_view kind, text::Date received,
                                 std::optional<std::string> note, const audit::Actor& actor);

/// Marks a data-subject request as answered.
void close_subject_request(db::WriteTransaction& tx, std::int64_t id, text::Date done,
                           const audit::Actor& actor);

/// The ids of the data-subject requests, in order (shell completion).
std::vector<std::int64_t> subject_request_ids(db::Database& db);

/// The data-subject requests, open ones first.
output::Table subject_requests(db::Database& db);

/// The record of processing activities (article 30(1) a-g), from the configuration. Error
/// (config) when the controller section is incomplete.
output::Document processing_record(const config::Config& config);

}  // namespace lbib::privacy
