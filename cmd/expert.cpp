// SPDX-License-Identifier: MIT
#include <memory>
#include <ostream>

#include "commands.hpp"
#include "freetext.hpp"
#include "lbib/corrections/merge.hpp"
#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/experts/interview.hpp"
#include "lbib/experts/views.hpp"
#include "lbib/experts/wishes.hpp"
#include "lbib/followup/followups.hpp"
#include "lbib/followup/questionnaire.hpp"
#include "lbib/lending/assignments.hpp"
#include "lbib/privacy/privacy.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

struct ExpertListOptions {
  std::optional<std::string> area, role, status, municipality, name;
  std::string format, sort = "id";
};

void run_expert_list(const ExpertListOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  const auto& config = ctx.config();
  experts::Filter filter;
  filter.area = o.area;
  filter.role = o.role;
  filter.municipality = o.municipality;
  if (filter.area && config::find_term(config.areas, *filter.area) == nullptr) {
    throw make_error(ExitCode::data, "--area: unknown area '{}'; use one of: {}",
                     text::printable(*filter.area), config::keys_of(config.areas));
  }
  if (filter.role && config::find_term(config.roles, *filter.role) == nullptr) {
    throw make_error(ExitCode::data, "--role: unknown role '{}'; use one of: {}",
                     text::printable(*filter.role), config::keys_of(config.roles));
  }
  if (o.status) {
    filter.status = experts::parse_status("status", *o.status);
  }
  filter.name_contains = o.name;
  if (filter.name_contains) {
    text::check_line("--name", *filter.name_contains, text::limits::name);
  }
  if (o.sort != "id" && o.sort != "name") {
    throw make_error(ExitCode::usage, "--sort: use id or name");
  }
  filter.by_name = o.sort == "name";
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);
  // Each expert is written as it is read (a text table keeps their text for its widths).
  output::RowWriter rows(ctx.out(), format, experts::list_header());
  experts::each_listed(db, filter,
                       [&rows](const experts::Listed& e) { rows.add(experts::list_row(e)); });
  rows.finish();
}

struct ExpertShowOptions {
  std::int64_t id = 0;
  std::string format;
};

void run_expert_show(const ExpertShowOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);
  auto record = experts::show_record(experts::get(db, o.id));
  // Recruited for one assignment (issue #16): their consent covers that request until they join.
  const auto assignment = lending::find_assignment(db, o.id);
  const bool scoped = assignment && !assignment->joined_on;
  const auto& language = ctx.config().language;
  record.fields.emplace_back(
      "consent_scope",
      output::Term{std::string(scoped ? "assignment" : "library"),
                   scoped ? i18n::tr_format_in(language, "request {} only", assignment->request_id)
                          : i18n::tr_in(language, i18n::N_("the library"))});
  record.fields.emplace_back("recruited_for_request",
                             assignment ? output::Value{assignment->request_id} : output::Value{});
  record.fields.emplace_back("joined_on",
                             assignment ? output::maybe(assignment->joined_on) : output::Value{});
  record.sections.emplace_back("requests", followup::expert_history(db, o.id));
  record.sections.emplace_back("questionnaires", followup::expert_questionnaires(db, o.id));
  record.sections.emplace_back("wishes", experts::wishes_table(experts::get_wishes(db, o.id)));
  output::write(ctx.out(), format, record);
}

struct MapOptions {
  std::int64_t id = 0;
  std::string format;
  std::optional<std::string> today;
};

void run_map(const MapOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  const auto today = date_or(o.today, "today", text::today());
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);  // every read from the same moment
  output::write(ctx.out(), format,
                experts::experience_map(experts::get(db, o.id), ctx.config(), today));
}

struct ExpertEditOptions {
  std::int64_t id = 0;
  std::optional<std::string> name, email, phone, address, municipality, birth_year, born_abroad,
      care_professional, retired, channel, notes, status, date;
  std::string consent_method = "oral";
  bool reconfirm = false, allow_duplicate = false;
  std::vector<std::string> add_experiences, remove_experiences, consents, withdrawals;
};

void run_expert_edit(const ExpertEditOptions& o, Context& ctx) {
  const auto& config = ctx.config();
  experts::Changes c;
  c.name = o.name;
  c.email = text::trim_optional_email(o.email);
  c.phone = o.phone;
  c.postal_address = o.address;
  c.municipality = o.municipality;
  if (const auto& year = o.birth_year) {
    c.birth_year = year->empty() ? std::optional<int>{}
                                 : std::optional<int>{experts::parse_year("birth-year", *year)};
  }
  if (const auto& a = o.born_abroad) {
    c.born_abroad = experts::parse_answer("born-abroad", *a);
  }
  if (const auto& a = o.care_professional) {
    c.care_professional = experts::parse_answer("care-professional", *a);
  }
  if (const auto& a = o.retired) {
    c.retired = experts::parse_answer("retired", *a);
  }
  c.channel = o.channel;
  c.notes = o.notes;
  c.allow_duplicate = o.allow_duplicate;
  for (const auto& spec : o.add_experiences) {
    c.add_experiences.push_back(experts::parse_experience(spec, config));
  }
  c.remove_experiences = o.remove_experiences;
  for (const auto& p : o.consents) {
    c.give_consents.push_back(experts::parse_purpose("consent", p));
  }
  for (const auto& p : o.withdrawals) {
    c.withdraw_consents.push_back(experts::parse_purpose("withdraw", p));
  }
  if (o.status) {
    c.status = experts::parse_status("status", *o.status);
  }
  c.consent_method = experts::parse_method("consent-method", o.consent_method);
  const auto date = date_or(o.date, "date", text::today());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  if (o.reconfirm) {
    privacy::reconfirm(tx, config, o.id, date, ctx.actor());
  }
  if (!c.empty() || !o.reconfirm) {
    experts::edit(tx, config, o.id, c, date, ctx.actor());
  }
  tx.commit();
}

struct PreferOptions {
  std::int64_t id = 0;
  WishOptions wishes;
};

void run_prefer(const PreferOptions& o, Context& ctx) {
  const auto changes = o.wishes.changes();
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  experts::set_wishes(tx, ctx.config(), o.id, changes, ctx.actor());
  tx.commit();
}

struct LeaveOptions {
  std::int64_t id = 0;
  std::optional<std::string> date;
};

void run_leave(const LeaveOptions& o, Context& ctx) {
  const auto date = date_or(o.date, "date", text::today());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  experts::leave(tx, o.id, date, ctx.actor());
  tx.commit();
}

struct LeaveUndoOptions {
  std::int64_t id = 0;
};

void run_leave_undo(const LeaveUndoOptions& o, Context& ctx) {
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  experts::undo_leave(tx, o.id, ctx.actor());
  tx.commit();
}

struct JoinOptions {
  std::int64_t id = 0;
  std::optional<std::string> date;
};

void run_join(const JoinOptions& o, Context& ctx) {
  const auto on = date_or(o.date, "date", text::today());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  lending::join(tx, o.id, on, ctx.actor());
  privacy::reconfirm(tx, ctx.config(), o.id, on, ctx.actor());
  tx.commit();
}

struct ExpertExportOptions {
  std::int64_t id = 0;
  std::optional<std::string> out;
};

void run_expert_export(const ExpertExportOptions& o, Context& ctx) {
  auto db = ctx.open_db();
  const auto data = privacy::export_expert(db, ctx.config(), o.id);
  write_subject_export(ctx, db, data, "expert", o.id, o.out);
}

struct ExpertEraseOptions {
  std::int64_t id = 0;
  std::optional<std::string> date;
  std::string format;
  bool yes = false;
  bool dry_run = false;
};

void run_expert_erase(const ExpertEraseOptions& o, Context& ctx) {
  const auto date = date_or(o.date, "date", text::today());
  privacy::check_erasure_date(date, text::today());
  const auto format = output::parse_format(o.format);
  if (!o.yes && !o.dry_run) {
    throw make_error(ExitCode::usage,
                     "erasure cannot be undone; add --yes to erase expert {} (or --dry-run to "
                     "see what it would do)",
                     o.id);
  }
  run_erasure(ctx, format, o.dry_run, [&](db::WriteTransaction& tx, privacy::EraseMode mode) {
    return privacy::erase(tx, o.id, date, ctx.actor(), mode);
  });
}

struct ExpertMergeOptions {
  std::int64_t keep = 0, drop = 0;
  bool yes = false;
};

void run_expert_merge(const ExpertMergeOptions& o, Context& ctx) {
  if (!o.yes) {
    throw make_error(ExitCode::usage,
                     "a merge cannot be undone; add --yes to merge expert {} into expert {}",
                     o.drop, o.keep);
  }
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::merge_experts(tx, o.keep, o.drop, text::today(), ctx.actor());
  tx.commit();
}

void setup_list(CLI::App& parent, Context& ctx) {
  auto o = std::make_shared<ExpertListOptions>();
  auto* sub = parent.add_subcommand("list", "List experts, optionally filtered");
  sub->add_option("--name", o->name,
                  "Only experts whose name contains this (any case; Å and å alike)");
  sub->add_option("--sort", o->sort, "Order: id, or name in Swedish order (Å, Ä, Ö after Z)")
      ->capture_default_str();
  sub->add_option("--area", o->area, "Only experts with experience of this area");
  sub->add_option("--role", o->role, "Only experts with experience in this role");
  sub->add_option("--status", o->status, "Only experts with this status: active, paused or left");
  sub->add_option("--municipality", o->municipality, "Only experts living in this municipality");
  add_format_option(*sub, o->format);
  sub->callback([o, &ctx] { run_expert_list(*o, ctx); });
}

void setup_show(CLI::App& parent, Context& ctx) {
  auto o = std::make_shared<ExpertShowOptions>();
  auto* sub = parent.add_subcommand("show", "Show one expert: profile, experiences and consents");
  sub->add_option("ID", o->id, "The expert's id")->check(id_check(Names::expert))->required();
  add_format_option(*sub, o->format);
  sub->callback([o, &ctx] { run_expert_show(*o, ctx); });
}

void setup_map(CLI::App& parent, Context& ctx) {
  auto o = std::make_shared<MapOptions>();
  auto* sub = parent.add_subcommand(
      "map", "Show one expert's experience map: every area, with role, year and how major");
  sub->add_option("ID", o->id, "The expert's id")->check(id_check(Names::expert))->required();
  sub->add_option("--today", o->today, "Count years ago from this date (default today)");
  add_format_option(*sub, o->format);
  sub->callback([o, &ctx] { run_map(*o, ctx); });
}

void setup_edit(CLI::App& parent, Context& ctx) {
  auto o = std::make_shared<ExpertEditOptions>();
  auto* sub = parent.add_subcommand("edit",
                                    "Change an expert's details, experiences, consents or status "
                                    "(an empty value clears an optional field)");
  sub->add_option("ID", o->id, "The expert's id")->check(id_check(Names::expert))->required();
  TextOptions text(*sub, ctx);
  sub->add_option("--name", o->name, "Full name");
  sub->add_option("--email", o->email, "E-mail address");
  sub->add_option("--phone", o->phone, "Telephone number");
  sub->add_option("--municipality", o->municipality, "Home municipality");
  sub->add_option("--birth-year", o->birth_year, "Year of birth (YYYY)");
  sub->add_option("--born-abroad", o->born_abroad, "yes, no or unknown");
  sub->add_option("--care-professional", o->care_professional, "yes, no or unknown");
  sub->add_option("--retired", o->retired, "yes, no or unknown");
  sub->add_option("--channel", o->channel, "Recruitment channel");
  text.add("--notes", o->notes, "Interview notes (replaces them)");
  sub->add_option("--address", o->address,
                  "Postal address on one line (for a person reached by letter)");
  sub->add_option("--add-experience", o->add_experiences,
                  "ROLE:AREA[:YEAR][:major|everyday], repeatable (replaces the same ROLE:AREA)");
  sub->add_option("--remove-experience", o->remove_experiences, "ROLE:AREA, repeatable");
  sub->add_option("--consent", o->consents, "Record a consent given: mailing or website")
      ->delimiter(',');
  sub->add_option("--withdraw", o->withdrawals, "Record a consent withdrawn: mailing or website")
      ->delimiter(',');
  sub->add_option("--status", o->status,
                  "active (matched for requests) or paused (kept, not matched)");
  sub->add_option("--consent-method", o->consent_method,
                  "How a consent given now was given: oral or written");
  sub->add_flag(
      "--reconfirm", o->reconfirm,
      "Record that the expert re-confirmed the consents in force (and resume a paused expert)");
  sub->add_option("--date", o->date, "Date of consents and withdrawals (default today)");
  sub->add_flag("--allow-duplicate", o->allow_duplicate,
                "Change the e-mail, phone, name or birth year even if another expert has it");
  sub->callback([o, &ctx] { run_expert_edit(*o, ctx); });
}

void setup_prefer(CLI::App& parent, Context& ctx) {
  auto o = std::make_shared<PreferOptions>();
  auto* sub = parent.add_subcommand(
      "prefer",
      "Record an expert's wishes: forms, digital or in person, areas to avoid, at most N "
      "requests per period, a pause until a date (lbib match honours them)");
  sub->add_option("ID", o->id, "The expert's id")->check(id_check(Names::expert))->required();
  o->wishes.add(*sub, true);
  sub->callback([o, &ctx] { run_prefer(*o, ctx); });
}

void setup_leave(CLI::App& parent, Context& ctx) {
  auto o = std::make_shared<LeaveOptions>();
  auto* sub = parent.add_subcommand(
      "leave",
      "Record that an expert left the library: history is kept, they are never matched again");
  // Not required here but checked by runs_itself, so `lbib expert leave undo ID` needs none.
  auto* id_opt = sub->add_option("ID", o->id, "The expert's id")->check(id_check(Names::expert));
  sub->add_option("--date", o->date, "Date they left (default today)");
  auto undo = std::make_shared<LeaveUndoOptions>();
  auto* undo_cmd = sub->add_subcommand(
      "undo", "Undo a leave recorded by mistake: the expert is active again, history kept");
  undo_cmd->add_option("ID", undo->id, "The expert's id")
      ->check(id_check(Names::expert))
      ->required();
  undo_cmd->callback([undo, &ctx] { run_leave_undo(*undo, ctx); });
  sub->callback([o, undo_cmd, id_opt, &ctx] {
    if (runs_itself({undo_cmd}, {id_opt})) {
      run_leave(*o, ctx);
    }
  });
}

void setup_join(CLI::App& parent, Context& ctx) {
  auto o = std::make_shared<JoinOptions>();
  auto* sub = parent.add_subcommand(
      "join",
      "A person recruited for one assignment joins the library: a regular expert from now on, "
      "their history kept and their consents recorded anew for the library");
  sub->add_option("ID", o->id, "The expert's id")->check(id_check(Names::expert))->required();
  sub->add_option("--date", o->date, "When they said yes (default today)");
  sub->callback([o, &ctx] { run_join(*o, ctx); });
}

void setup_export(CLI::App& parent, Context& ctx) {
  auto o = std::make_shared<ExpertExportOptions>();
  auto* sub = parent.add_subcommand(
      "export",
      "Everything the register holds about one expert, as JSON (GDPR articles 15 and 20)");
  sub->add_option("ID", o->id, "The expert's id")->check(id_check(Names::expert))->required();
  sub->add_option("--out", o->out,
                  "Write it to this new private file (mode 0600, never overwritten)");
  sub->callback([o, &ctx] { run_expert_export(*o, ctx); });
}

void setup_erase(CLI::App& parent, Context& ctx) {
  auto o = std::make_shared<ExpertEraseOptions>();
  auto* sub = parent.add_subcommand("erase",
                                    "Erase an expert's personal data for good (GDPR article 17); "
                                    "statistics keep an anonymous stub");
  sub->add_option("ID", o->id, "The expert's id")->check(id_check(Names::expert))->required();
  sub->add_option("--date", o->date, "The day of erasure (default today)");
  sub->add_flag("--yes", o->yes, "Confirm: erasure cannot be undone");
  sub->add_flag("--dry-run", o->dry_run,
                "Only show what would be removed and redacted (tables, fields, counts)");
  add_format_option(*sub, o->format);
  sub->callback([o, &ctx] { run_expert_erase(*o, ctx); });
}

void setup_merge(CLI::App& parent, Context& ctx) {
  auto o = std::make_shared<ExpertMergeOptions>();
  auto* sub = parent.add_subcommand(
      "merge",
      "Make two records of the same person one: DROP's history, invitations, loans and consents "
      "move to KEEP, and DROP is deleted");
  sub->add_option("KEEP", o->keep, "The id to keep")->check(id_check(Names::expert))->required();
  sub->add_option("DROP", o->drop, "The id merged into KEEP and deleted")
      ->check(id_check(Names::expert))
      ->required();
  sub->add_flag("--yes", o->yes, "Confirm: a merge cannot be undone");
  sub->callback([o, &ctx] { run_expert_merge(*o, ctx); });
}

}  // namespace

void setup_expert(CLI::App& app, Context& ctx) {
  auto* expert = app.add_subcommand("expert", top_help("expert"));
  expert->require_subcommand(1);
  setup_list(*expert, ctx);
  setup_show(*expert, ctx);
  setup_map(*expert, ctx);
  setup_edit(*expert, ctx);
  setup_prefer(*expert, ctx);
  setup_leave(*expert, ctx);
  setup_join(*expert, ctx);
  setup_export(*expert, ctx);
  setup_erase(*expert, ctx);
  setup_merge(*expert, ctx);
}

}  // namespace lbib::cmd
