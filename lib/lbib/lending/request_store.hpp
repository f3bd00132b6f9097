// SPDX-License-Identifier: MIT
#pragma once

// The SQL of the request aggregate (request, its wanted experiences, events, pre-meeting and
// picks), all in one place. Callers check the rules first.

#include "lbib/lending/requests.hpp"

namespace lbib::lending::store {

std::int64_t insert_request(db::WriteTransaction& tx, std::int64_t borrower_id,
                            text::Date received_on, const RequestDetails& d);
void update_details(db::WriteTransaction& tx, std::int64_t id, const RequestDetails& d);
void set_state(db::WriteTransaction& tx, std::int64_t id, State state, std::optional<Reason> reason,
               std::optional<text::Date> hold_until);
void insert_event(db::WriteTransaction& tx, std::int64_t id, const Event& e);
void insert_pre_meeting(db::WriteTransaction& tx, std::int64_t id, const PreMeeting& p);
void insert_pick(db::WriteTransaction& tx, std::int64_t id, std::int64_t expert_id, text::Date on);
bool borrower_exists(db::Database& db, std::int64_t borrower_id);
std::optional<Request> find(db::Database& db, std::int64_t id);
/// The requests matching `filter`, by id, each handed to `visit` as it is read (with its wanted
/// experiences; without events, picks and pre-meeting).
void each(db::Database& db, const RequestFilter& filter,
          const std::function<void(Request&)>& visit);

}  // namespace lbib::lending::store
