// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/experts/wishes.hpp"
#include "lbib/text/date.hpp"

/// The recruitment register: experts by experience, their experiences and their consents.
namespace lbib::experts {

/// A yes/no question the interview may leave open.
enum class Answer { yes, no, unknown };

/// How the person sees an experience: life-changing, or an ordinary one.
enum class Magnitude { major, everyday };

/// Where an expert stands: active (matched for requests), paused (kept but not matched) or
/// left (history kept, never matched again).
enum class Status { active, paused, left };

/// How a consent was given.
enum class Method { oral, written };

/// What a consent covers: being kept in the register at all (required), being sent requests,
/// and a public description on the library's website.
enum class Purpose { register_, mailing, website };

std::string_view to_string(Answer a);
std::string_view to_string(Magnitude m);
std::string_view to_string(Status s);
std::string_view to_string(Purpose p);
std::string_view to_string(Method m);

/// Parsers for the command line and the database; each throws Error(data) naming `field` and
/// listing what is accepted.
Answer parse_answer(std::string_view field, std::string_view s);
Magnitude parse_magnitude(std::string_view field, std::string_view s);
Status parse_status(std::string_view field, std::string_view s);
Purpose parse_purpose(std::string_view field, std::string_view s);
Method parse_method(std::string_view field, std::string_view s);
int parse_year(std::string_view field, std::string_view s);

/// One experience of care or social services.
struct Experience {
  std::string role;
  std::string area;
  std::optional<int> year;
  Magnitude magnitude = Magnitude::everyday;
};

/// Parses ROLE:AREA[:YEAR][:major|everyday], checking role and area against the taxonomy.
Experience parse_experience(std::string_view spec, const config::Config& config);

/// A consent for one purpose.
struct Consent {
  Purpose purpose = Purpose::register_;
  text::Date given_on;
  std::string text_version;
  std::string recorded_by;
  std::optional<text::Date> withdrawn_on;
  Method method = Method::oral;
};

/// What the recruitment interview records about a person besides experiences and consents.
struct Profile {
  std::string name;
  std::string email;
  std::optional<std::string> phone;
  /// One line ("Storgatan 1, 642 30 Flen"): for someone reached by letter (issue #14).
  std::optional<std::string> postal_address;
  std::optional<std::string> municipality;
  std::optional<int> birth_year;
  Answer born_abroad = Answer::unknown;
  Answer care_professional = Answer::unknown;
  Answer retired = Answer::unknown;
  std::string channel;
  text::Date interviewed_on;
  std::optional<std::string> notes;
};

/// A recruitment: the profile, the experiences and the purposes consented to at the interview.
struct Recruitment {
  Profile profile;
  std::vector<Experience> experiences;
  std::vector<Purpose> consents;
  text::Date consent_date;
  Method consent_method = Method::oral;
  /// What the person wants to be asked about (none by default).
  Wishes wishes;
  /// True when the wishes were given on the command line (the interview does not ask them).
  bool wishes_given = false;
  /// Record the person even when they look already registered (same e-mail, phone, or name
  /// and birth year).
  bool allow_duplicate = false;
};

/// An expert as stored.
struct Expert {
  std::int64_t id = 0;
  Profile profile;
  Status status = Status::active;
  std::optional<text::Date> left_on;
  std::optional<text::Date> erased_on;  // an anonymous stub since this day
  std::vector<Experience> experiences;
  std::vector<Consent> consents;  // in force and withdrawn, oldest first

  /// True when a consent for `p` is in force.
  bool has_consent(Purpose p) const;
};

/// Changes to an expert. For optional text fields an empty string clears the field.
struct Changes {
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> postal_address;
  std::optional<std::string> municipality;
  std::optional<std::optional<int>> birth_year;
  std::optional<Answer> born_abroad;
  std::optional<Answer> care_professional;
  std::optional<Answer> retired;
  std::optional<std::string> channel;
  std::optional<std::string> notes;
  std::vector<Experience> add_experiences;
  std::vector<std::string> remove_experiences;  // ROLE:AREA
  std::vector<Purpose> give_consents;
  Method consent_method = Method::oral;
  std::vector<Purpose> withdraw_consents;
  std::optional<Status> status;  // active or paused; leaving is its own operation
  /// Keep a changed e-mail, phone, name or birth year that another expert has too.
  bool allow_duplicate = false;

  bool empty() const;
};

/// Which experts to list.
struct Filter {
  std::optional<std::string> area;
  std::optional<std::string> role;
  std::optional<std::string> municipality;
  std::optional<Status> status;
  /// Only experts whose name contains this, ignoring case (Å and å alike).
  std::optional<std::string> name_contains;
  /// Order by name in Swedish order (Å, Ä, Ö after Z) instead of by id.
  bool by_name = false;
};

/// Stores the configured text of `purpose` at the configured version once, with its SHA-256;
/// refuses (Error config) a text that differs from the one stored under that version.
void ensure_consent_text(db::WriteTransaction& tx, const config::Config& config, Purpose purpose);

/// Checks that a person can be reached: an e-mail address, a telephone number or a postal
/// address (someone without e-mail is phoned or written to, from a dispatch's call list);
/// throws Error(data).
void check_reachable(const Profile& profile);

/// Checks a profile's fields (lengths, text, e-mail, channel); throws Error(data).
void validate(const Profile& profile, const config::Config& config);

/// The expert (not erased) that `profile` looks like, if any: the same e-mail in any case, the
/// same phone number (its digits), or the same name and birth year (compared by
/// text::fold_identity: case, Unicode forms and spacing do not count). `except` (the expert being
/// edited) is not a duplicate of itself.
std::optional<std::int64_t> find_duplicate(db::Database& db, const Profile& profile,
                                           std::optional<std::int64_t> except = std::nullopt);

/// Recomputes the keys find_duplicate looks up (the folded name and e-mail, the phone's digits)
/// of expert `id`, or of every expert when `id` is empty (an import). Writes that change a
/// name, an e-mail or a phone other than through recruit and edit (merge, import) call it.
void refresh_identity_keys(db::WriteTransaction& tx, std::optional<std::int64_t> id);

/// Records a new expert after the interview; returns the new id. Requires register consent,
/// and refuses a person who looks already registered (find_duplicate) unless allowed.
std::int64_t recruit(db::WriteTransaction& tx, const config::Config& config,
                     const Recruitment& recruitment, const audit::Actor& actor);

/// Applies `changes` to expert `id`; consents given are dated `today`. A changed e-mail, phone,
/// name or birth year that makes the expert look like another one (find_duplicate) is refused
/// unless allowed.
void edit(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
          const Changes& changes, text::Date today, const audit::Actor& actor);

/// Marks expert `id` as having left on `date` (today or earlier, not before the interview):
/// history stays, matching never picks them again.
void leave(db::WriteTransaction& tx, std::int64_t id, text::Date date, const audit::Actor& actor);

/// Undoes a leave recorded by mistake (`lbib expert leave undo`): the expert is active again,
/// audited with the fields changed. Refused for an expert who has not left, who was erased, or
/// who was recruited again meanwhile (another record looks like them: merge instead).
void undo_leave(db::WriteTransaction& tx, std::int64_t id, const audit::Actor& actor);

/// The expert with `id`; throws Error(no_input) when there is none.
Expert get(db::Database& db, std::int64_t id);

/// The expert with `id` to act on: as `get`, and Error(data) when they were erased to an
/// anonymous stub. The one rule every operation on a person checks first.
Expert get_living(db::Database& db, std::int64_t id);

/// The ids of the experts in the register, erased ones left out, in order (shell completion).
std::vector<std::int64_t> ids(db::Database& db);

/// The experts matching `filter`, by id.
std::vector<Expert> list(db::Database& db, const Filter& filter);

/// An expert as `lbib expert list` shows them: what one row needs, not the whole Expert.
struct Listed {
  std::int64_t id = 0;
  std::string name;
  std::string email;  // empty: reached by telephone or post only
  std::optional<std::string> municipality;
  std::string status;                                            // active, paused, left, or erased
  bool mailing = false;                                          // a mailing consent in force
  std::vector<std::pair<std::string, std::string>> experiences;  // (role, area), by role, area
};

/// The experts matching `filter`, in its order, each given to `visit` as it is read from one
/// statement, so only the expert being read is held however many match (`lbib expert list`).
void each_listed(db::Database& db, const Filter& filter,
                 const std::function<void(const Listed&)>& visit);

}  // namespace lbib::experts
