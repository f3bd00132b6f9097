// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/text/date.hpp"

/// Recruiting for one assignment (the final report: "it would probably have been easier to
/// recruit experienced people directly for each assignment"): a request's open call on the
/// public catalogue, people recruited for that request only, and their joining the library.
namespace lbib::lending {

/// A request's open call as the catalogue shows it: an anonymous text, until reply-by.
struct OpenCall {
  std::int64_t request_id = 0;
  std::string text;
  text::Date reply_by;
};

/// Checks an open call's text (multi-line, at most 2000 characters); throws Error(data).
void validate_call(const std::string& text);

/// Records (or with nullopt removes) request `id`'s open call on `today`. The request needs a
/// reply-by date that has not passed and must not be past its loan; throws Error(data)
/// otherwise, Error(no_input) for an unknown request.
void set_open_call(db::WriteTransaction& tx, std::int64_t id,
                   const std::optional<std::string>& text, text::Date today,
                   const audit::Actor& actor);

/// Request `id`'s open call, if it has one (shown or not).
std::optional<OpenCall> find_open_call(db::Database& db, std::int64_t id);

/// The open calls the catalogue shows on `today`: the request still before its loan and its
/// reply-by date not passed. Oldest request first.
std::vector<OpenCall> open_calls(db::Database& db, text::Date today);

/// Records a person recruited for request `request` only (`lbib recruit --for-request`):
/// recruits them (register and mailing consent required), records the scope of their consent
/// and picks them for the request, so its mailing invites them. Returns the new expert's id.
std::int64_t recruit_for(db::WriteTransaction& tx, const config::Config& config,
                         const experts::Recruitment& recruitment, std::int64_t request,
                         const audit::Actor& actor);

/// Where an expert recruited for one assignment stands.
struct Assignment {
  std::int64_t request_id = 0;
  std::optional<text::Date> joined_on;  // joined the library (a regular expert since)
};

/// The assignment expert `id` was recruited for, if they were.
std::optional<Assignment> find_assignment(db::Database& db, std::int64_t id);

/// Expert `id`, recruited for one assignment, joins the library on `on`: from then on they are
/// a regular expert (their history kept). Throws Error(data) for an expert who was not
/// recruited for an assignment, already joined, or was erased. The caller records the full
/// consent (privacy::reconfirm) in the same transaction.
void join(db::WriteTransaction& tx, std::int64_t id, text::Date on, const audit::Actor& actor);

}  // namespace lbib::lending
