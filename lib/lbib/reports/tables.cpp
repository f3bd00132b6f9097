// SPDX-License-Identifier: MIT
// Table 1 and the reports the final report's discussion shows were missing.
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <map>
#include <numeric>

#include "lbib/followup/followups.hpp"
#include "lbib/reports/reports.hpp"

namespace lbib::reports {
namespace {

std::string lo(const Period& p) {
  return p.from ? text::format_date(*p.from) : "0000-01-01";
}
std::string hi(const Period& p) {
  return p.to ? text::format_date(*p.to) : "9999-12-31";
}

output::Value text_or_null(const SQLite::Column& c) {
  return c.isNull() ? output::Value{} : output::Value{c.getString()};
}

// Swedish or English, by the configured language.
std::string say(const config::Config& c, const char* sv, const char* en) {
  return c.language == "en" ? en : sv;
}

std::string reason_label(const config::Config& c, const std::string& reason) {
  static const std::map<std::string, std::pair<const char*, const char*>> labels{
      {"no-response",
       {"Bad om mer information men fick ingen respons", "Asked for more detail, no response"}},
      {"no-match",
       {"Fanns inga erfarna med rätt erfarenhet", "No experts with the right experience"}},
      {"too-few-participants",
       {"Inställt p.g.a. för få deltagare", "Cancelled: too few participants"}},
      {"by-borrower", {"Inställt av uppdragsgivaren", "Cancelled by the borrower"}},
      {"library-closing", {"Inställt: biblioteket avslutas", "Cancelled: the library is closing"}},
  };
  const auto it = labels.find(reason);
  return it == labels.end() ? reason : say(c, it->second.first, it->second.second);
}

std::string term_label(const config::Config& c, const std::vector<config::Term>& terms,
                       const std::string& key) {
  const auto* t = config::find_term(terms, key);
  return t != nullptr ? c.label(*t) : key;
}

double percent(int part, int whole) {
  return whole == 0 ? 0.0 : 100.0 * part / whole;
}

// A narrower view of `t` for the printed page: without the named columns.
output::Table without(output::Table t, std::initializer_list<std::string_view> drop) {
  for (std::size_t i = t.columns.size(); i-- > 0;) {
    if (std::find(drop.begin(), drop.end(), t.columns[i]) == drop.end()) {
      continue;
    }
    t.columns.erase(t.columns.begin() + static_cast<std::ptrdiff_t>(i));
    if (!t.labels.empty()) {
      t.labels.erase(t.labels.begin() + static_cast<std::ptrdiff_t>(i));
    }
    for (auto& row : t.rows) {
      if (i < row.size()) {
        row.erase(row.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  return t;
}

}  // namespace

output::Table requests_report(db::Database& db, const config::Config& c, const Period& period,
                              FreeText free_text) {
  const bool with_text = free_text == FreeText::include;
  output::Table t{{"nr", "request", "phase", "received_on", "borrower", "purpose", "to_experts",
                   "comment", "form", "experts", "external", "followup"},
                  {}};
  t.labels = c.language == "en" ? std::vector<std::string>{"No.",
                                                           "Request",
                                                           "Phase",
                                                           "Received",
                                                           "Request from",
                                                           "Purpose",
                                                           "Sent to experts",
                                                           "Comment",
                                                           "Form",
                                                           "Experts who took part",
                                                           "External participants",
                                                           "Follow-up"}
                                : std::vector<std::string>{"Nr",
                                                           "Förfrågan",
                                                           "Fas",
                                                           "Inkom",
                                                           "Förfrågan om uppdrag från",
                                                           "Syfte med uppdraget",
                                                           "Förfrågan till erfarna",
                                                           "Kommentar",
                                                           "Former för lån",
                                                           "Antal erfarna som deltog",
                                                           "Externa deltagare",
                                                           "Uppföljning"};
  SQLite::Statement q(db.sql(), R"sql(
    SELECT r.id, r.received_on, b.organisation || coalesce(', ' || b.unit, ''), r.purpose,
           EXISTS (SELECT 1 FROM dispatch d WHERE d.request_id = r.id),
           (SELECT e.note FROM request_event e WHERE e.request_id = r.id AND e.note IS NOT NULL
              ORDER BY e.id DESC LIMIT 1),
           r.state_reason, r.state, coalesce(l.form, r.form), l.request_id IS NOT NULL,
           (SELECT count(*) FROM loan_participant p WHERE p.request_id = r.id),
           l.external_participants, f.held_on IS NOT NULL
    FROM request r JOIN borrower b ON b.id = r.borrower_id
    LEFT JOIN loan l ON l.request_id = r.id
    LEFT JOIN followup f ON f.request_id = r.id
    WHERE r.received_on BETWEEN ?1 AND ?2
    ORDER BY r.received_on, r.id)sql");
  q.bind(1, lo(period));
  q.bind(2, hi(period));
  std::int64_t nr = 0;
  while (q.executeStep()) {
    const auto received = text::parse_date("received_on", q.getColumn(1).getString());
    std::string phase;
    for (const auto& p : c.phases) {
      if (!(received < p.from) && !(p.to < received)) {
        phase = c.label(p);
      }
    }
    const bool dispatched = q.getColumn(4).getInt() != 0;
    std::string comment =
        q.getColumn(5).isNull() || !with_text ? std::string() : q.getColumn(5).getString();
    if (comment.empty() && !q.getColumn(6).isNull()) {
      comment = reason_label(c, q.getColumn(6).getString());
    } else if (comment.empty() && q.getColumn(7).getString() == "withdrawn") {
      comment = say(c, "Återtagen av uppdragsgivaren", "Withdrawn by the borrower");
    }
    const bool loan = q.getColumn(9).getInt() != 0;
    const bool followed_up = q.getColumn(12).getInt() != 0;
    t.rows.push_back(
        {++nr, q.getColumn(0).getInt64(), phase, q.getColumn(1).getString(),
         q.getColumn(2).getString(), with_text ? text_or_null(q.getColumn(3)) : output::Value{},
         say(c, dispatched ? "Ja" : "Nej", dispatched ? "Yes" : "No"),
         comment.empty() ? output::Value{} : output::Value{comment},
         q.getColumn(8).isNull()
             ? output::Value{}
             : output::Value{term_label(c, c.forms, q.getColumn(8).getString())},
         loan ? output::Value{q.getColumn(10).getInt64()} : output::Value{},
         loan ? output::Value{q.getColumn(11).getInt64()} : output::Value{},
         loan ? output::Value{followed_up ? say(c, "Ja", "Yes") : say(c, "Planeras", "Planned")}
              : output::Value{}});
  }
  return t;
}

output::Table pool_report(db::Database& db, const config::Config& c) {
  output::Table t{{"area", "label", "patient", "user", "client", "relative", "experts", "gap",
                   "declined_no_match"},
                  {}};
  t.labels = c.language == "en" ? std::vector<std::string>{"Area",
                                                           "Label",
                                                           "Patient",
                                                           "User",
                                                           "Client",
                                                           "Relative",
                                                           "Experts",
                                                           "Gap (fewer than 2)",
                                                           "Declined: no match"}
                                : std::vector<std::string>{"Område",
                                                           "Benämning",
                                                           "Patient",
                                                           "Brukare",
                                                           "Klient",
                                                           "Anhörig",
                                                           "Erfarna",
                                                           "Lucka (färre än 2)",
                                                           "Avböjda: ingen matchning"};
  // Active experts with mailing consent, per area and role; and distinct experts per area.
  std::map<std::pair<std::string, std::string>, std::int64_t> by_role;
  std::map<std::string, std::int64_t> by_area;
  std::map<std::string, std::int64_t> declined;
  SQLite::Statement q(db.sql(), R"sql(
    SELECT x.area, x.role, count(DISTINCT x.expert_id) FROM experience x JOIN expert e ON e.id = x.expert_id
    WHERE e.status = 'active' AND EXISTS (SELECT 1 FROM consent c WHERE c.expert_id = e.id
      AND c.purpose = 'mailing' AND c.withdrawn_on IS NULL)
    GROUP BY x.area, x.role)sql");
  while (q.executeStep()) {
    by_role[{q.getColumn(0).getString(), q.getColumn(1).getString()}] = q.getColumn(2).getInt64();
  }
  SQLite::Statement a(db.sql(), R"sql(
    SELECT x.area, count(DISTINCT x.expert_id) FROM experience x JOIN expert e ON e.id = x.expert_id
    WHERE e.status = 'active' AND EXISTS (SELECT 1 FROM consent c WHERE c.expert_id = e.id
      AND c.purpose = 'mailing' AND c.withdrawn_on IS NULL)
    GROUP BY x.area)sql");
  while (a.executeStep()) {
    by_area[a.getColumn(0).getString()] = a.getColumn(1).getInt64();
  }
  SQLite::Statement d(db.sql(), R"sql(
    SELECT w.area, count(DISTINCT r.id) FROM request r JOIN request_experience w ON w.request_id = r.id
    WHERE r.state = 'declined' AND r.state_reason = 'no-match' GROUP BY w.area)sql");
  while (d.executeStep()) {
    declined[d.getColumn(0).getString()] = d.getColumn(1).getInt64();
  }
  for (const auto& area : c.areas) {
    const auto n = [&](const char* role) {
      const auto it = by_role.find({area.key, role});
      return it == by_role.end() ? std::int64_t{0} : it->second;
    };
    const std::int64_t total = by_area.count(area.key) != 0 ? by_area[area.key] : 0;
    t.rows.push_back({area.key, c.label(area), n("patient"), n("user"), n("client"), n("relative"),
                      total, total < 2, declined.count(area.key) != 0 ? declined[area.key] : 0});
  }
  return t;
}

output::Table experts_report(db::Database& db, const config::Config& c, text::Date today) {
  output::Table t{
      {"dimension", "category", "experts", "register_percent", "population_percent", "gap_points"},
      {}};
  t.labels =
      c.language == "en"
          ? std::vector<std::string>{"Dimension",  "Category",     "Experts",
                                     "Register %", "Population %", "Difference (points)"}
          : std::vector<std::string>{"Dimension",   "Kategori",       "Erfarna",
                                     "Registret %", "Befolkningen %", "Skillnad (procentenheter)"};
  struct Person {
    std::optional<int> birth_year;
    std::string born_abroad, care, retired;
    std::optional<std::string> municipality;
  };
  std::vector<Person> people;
  SQLite::Statement q(db.sql(),
                      "SELECT birth_year, born_abroad, care_professional, retired, municipality "
                      "FROM expert WHERE status <> 'left' AND erased_on IS NULL");
  while (q.executeStep()) {
    Person p;
    if (!q.getColumn(0).isNull()) {
      p.birth_year = q.getColumn(0).getInt();
    }
    p.born_abroad = q.getColumn(1).getString();
    p.care = q.getColumn(2).getString();
    p.retired = q.getColumn(3).getString();
    if (!q.getColumn(4).isNull()) {
      p.municipality = q.getColumn(4).getString();
    }
    people.push_back(std::move(p));
  }
  const int total = static_cast<int>(people.size());
  const auto row = [&](const std::string& dimension, const std::string& category, int count,
                       std::optional<double> population) {
    const double reg = percent(count, total);
    t.rows.push_back({dimension, category, std::int64_t{count}, reg,
                      population ? output::Value{*population * 100} : output::Value{},
                      population ? output::Value{reg - *population * 100} : output::Value{}});
  };
  const std::string age = say(c, "ålder", "age");
  int unknown_age = 0;
  for (const auto& band : c.population.age_bands) {
    int n = 0;
    for (const auto& p : people) {
      const int a = p.birth_year ? static_cast<int>(today.year()) - *p.birth_year : -1;
      n += (a >= band.from && a <= band.to) ? 1 : 0;
    }
    row(age, fmt::format("{}–{}", band.from, band.to), n, band.share);
  }
  for (const auto& p : people) {
    unknown_age += p.birth_year ? 0 : 1;
  }
  row(age, say(c, "okänd", "unknown"), unknown_age, std::nullopt);
  const auto yes_no = [&](const std::string& dimension, std::string Person::*field,
                          std::optional<double> share) {
    int yes = 0;
    int unknown = 0;
    for (const auto& p : people) {
      yes += p.*field == "yes" ? 1 : 0;
      unknown += p.*field == "unknown" ? 1 : 0;
    }
    row(dimension, say(c, "ja", "yes"), yes, share);
    row(dimension, say(c, "okänt", "unknown"), unknown, std::nullopt);
  };
  yes_no(say(c, "född utomlands", "born abroad"), &Person::born_abroad, c.population.born_abroad);
  yes_no(say(c, "arbetar/arbetat i vård eller omsorg", "care professional"), &Person::care,
         c.population.care_professional);
  yes_no(say(c, "pensionär", "retired"), &Person::retired, c.population.retired);
  std::map<std::string, int> places;
  for (const auto& p : people) {
    places[p.municipality.value_or(say(c, "okänd", "unknown"))]++;
  }
  for (const auto& m : c.population.municipalities) {
    places.try_emplace(m.name, 0);
  }
  for (const auto& [name, n] : places) {
    std::optional<double> share;
    for (const auto& m : c.population.municipalities) {
      if (m.name == name) {
        share = m.share;
      }
    }
    row(say(c, "kommun", "municipality"), name, n, share);
  }
  return t;
}

output::Table followups_report(db::Database& db, const config::Config& c, const Period& period) {
  output::Table t{{"measure", "label", "count", "percent"}, {}};
  t.labels = c.language == "en"
                 ? std::vector<std::string>{"Measure", "Label", "Count", "Percent"}
                 : std::vector<std::string>{"Mått", "Beskrivning", "Antal", "Procent"};
  SQLite::Statement q(db.sql(), R"sql(
    SELECT l.carried_out_on, f.held_on, f.satisfaction, f.new_insights, f.summary_sent_on,
           f.feedback_confirmed_on,
           (SELECT max(e.on_date) FROM request_event e WHERE e.request_id = l.request_id
              AND e.to_state = 'finished')
    FROM loan l LEFT JOIN followup f ON f.request_id = l.request_id
    WHERE l.carried_out_on BETWEEN ?1 AND ?2)sql");
  q.bind(1, lo(period));
  q.bind(2, hi(period));
  int loans = 0, held = 0, insights = 0, summaries = 0, feedback = 0, finished = 0;
  std::array<int, 5> satisfaction{};
  std::vector<int> days;
  while (q.executeStep()) {
    ++loans;
    if (q.getColumn(1).isNull()) {
      continue;
    }
    ++held;
    satisfaction[static_cast<std::size_t>(q.getColumn(2).getInt() - 1)]++;
    insights += q.getColumn(3).getString() == "yes" ? 1 : 0;
    summaries += q.getColumn(4).isNull() ? 0 : 1;
    feedback += q.getColumn(5).isNull() ? 0 : 1;
    if (!q.getColumn(6).isNull()) {
      ++finished;
      days.push_back(text::days_between(text::parse_date("loan", q.getColumn(0).getString()),
                                        text::parse_date("finished", q.getColumn(6).getString())));
    }
  }
  const auto add = [&](const char* key, const std::string& label, int count, int of) {
    t.rows.push_back({std::string(key), label, std::int64_t{count}, percent(count, of)});
  };
  add("loans", say(c, "Genomförda lån", "Loans carried out"), loans, loans);
  add("followed_up", say(c, "Lån med uppföljningsmöte", "Loans followed up"), held, loans);
  for (int s = 5; s >= 1; --s) {
    add(("satisfaction_" + std::to_string(s)).c_str(),
        fmt::format("{}: {}", say(c, "Nöjdhet", "Satisfaction"),
                    followup::satisfaction_label(s, c.language)),
        satisfaction[static_cast<std::size_t>(s - 1)], held);
  }
  add("new_insights", say(c, "Lånet gav nya insikter", "The loan gave new insights"), insights,
      held);
  add("summary_sent",
      say(c, "Sammanfattning skickad till de erfarna", "Summary sent to the experts"), summaries,
      held);
  add("feedback_confirmed",
      say(c, "Uppdragsgivarens återkoppling till de erfarna bekräftad",
          "The borrower's feedback to the experts confirmed"),
      feedback, held);
  add("finished", say(c, "Slutförda lån", "Loans finished"), finished, loans);
  std::sort(days.begin(), days.end());
  const std::int64_t median = days.empty() ? 0 : days[days.size() / 2];
  t.rows.push_back(
      {std::string("days_to_finished_median"),
       say(c, "Dagar från lån till slutfört (median)", "Days from loan to finished (median)"),
       days.empty() ? output::Value{} : output::Value{median}, output::Value{}});
  return t;
}

output::Table recruitment_report(db::Database& db, const config::Config& c, const Period& period) {
  output::Table t{{"year", "kind", "key", "label", "count"}, {}};
  t.labels = c.language == "en"
                 ? std::vector<std::string>{"Year", "Kind", "Key", "Label", "Count"}
                 : std::vector<std::string>{"År", "Typ", "Nyckel", "Benämning", "Antal"};
  SQLite::Statement q(db.sql(), R"sql(
    SELECT CAST(substr(interviewed_on, 1, 4) AS INTEGER) AS y, 'channel', channel, count(*)
    FROM expert WHERE interviewed_on BETWEEN ?1 AND ?2 GROUP BY y, channel
    UNION ALL
    SELECT CAST(substr(on_date, 1, 4) AS INTEGER) AS y, 'outreach', kind, count(*)
    FROM outreach WHERE on_date BETWEEN ?1 AND ?2 GROUP BY y, kind
    ORDER BY 1, 2, 3)sql");
  q.bind(1, lo(period));
  q.bind(2, hi(period));
  static const std::map<std::string, std::pair<const char*, const char*>> outreach_labels{
      {"presentation", {"Presentation", "Presentation"}},
      {"event", {"Evenemang", "Event"}},
      {"mailing", {"Utskick", "Mailing"}},
      {"social-media", {"Sociala medier", "Social media"}},
      {"podcast", {"Podd", "Podcast"}},
      {"other", {"Annat", "Other"}}};
  while (q.executeStep()) {
    const std::string kind = q.getColumn(1).getString();
    const std::string key = q.getColumn(2).getString();
    std::string label = key;
    if (kind == "channel") {
      label = term_label(c, c.channels, key);
    } else if (const auto it = outreach_labels.find(key); it != outreach_labels.end()) {
      label = say(c, it->second.first, it->second.second);
    }
    t.rows.push_back({q.getColumn(0).getInt64(),
                      kind == "channel" ? say(c, "rekryterade via", "recruited via")
                                        : say(c, "utåtriktad aktivitet", "outreach"),
                      key, label, q.getColumn(3).getInt64()});
  }
  return t;
}

namespace {

// "1 december 2026" or "1 December 2026": the day as a Swedish (or English) reader writes it.
std::string long_date(const config::Config& c, text::Date d) {
  static constexpr std::array<std::pair<const char*, const char*>, 12> months{{
      {"januari", "January"},
      {"februari", "February"},
      {"mars", "March"},
      {"april", "April"},
      {"maj", "May"},
      {"juni", "June"},
      {"juli", "July"},
      {"augusti", "August"},
      {"september", "September"},
      {"oktober", "October"},
      {"november", "November"},
      {"december", "December"},
  }};
  const auto& m = months.at(static_cast<unsigned>(d.month()) - 1);
  return fmt::format("{} {} {}", static_cast<unsigned>(d.day()), say(c, m.first, m.second),
                     static_cast<int>(d.year()));
}

// The period a report covers, as its title names it: "2026", "2019–2022", or the days
// ("2026-01-01–2026-06-30") when the period is not whole years. An open end is named by the
// years the report shows.
std::string period_name(const Period& p, const Yearly& y) {
  const auto whole_year_start = [](text::Date d) {
    return d.month() == std::chrono::January && d.day() == std::chrono::day{1};
  };
  const auto whole_year_end = [](text::Date d) {
    return d.month() == std::chrono::December && d.day() == std::chrono::day{31};
  };
  if ((p.from && !whole_year_start(*p.from)) || (p.to && !whole_year_end(*p.to))) {
    return fmt::format("{}–{}", p.from ? text::format_date(*p.from) : std::string(),
                       p.to ? text::format_date(*p.to) : std::string());
  }
  if (y.rows.empty()) {
    return {};
  }
  const int first = y.rows.front().year;
  const int last = y.rows.back().year;
  return first == last ? std::to_string(first) : fmt::format("{}–{}", first, last);
}

}  // namespace

output::Document annual_report(db::Database& db, const config::Config& c, const Period& period,
                               text::Date today, FreeText free_text) {
  const auto y = yearly(db, period, false, today);
  output::Document d;
  d.language = c.language;
  d.title = fmt::format("{}: {} {}", c.library_name, say(c, "sammanställning", "report"),
                        period_name(period, y));
  d.date = long_date(c, today);
  d.page_words = {say(c, "Sida", "Page"), say(c, "av", "of")};
  using Kind = output::Document::Part::Kind;
  const auto heading = [&](const char* sv, const char* en) {
    d.parts.push_back({Kind::heading, say(c, sv, en), {}});
  };
  const auto paragraph = [&](const char* sv, const char* en) {
    d.parts.push_back({Kind::paragraph, say(c, sv, en), {}});
  };
  const auto table = [&](output::Table t, const char* sv, const char* en) {
    d.parts.push_back({Kind::table, {}, std::move(t), say(c, sv, en)});
  };

  heading("Erfarna, förfrågningar och uppdrag per år", "Experts, requests and loans per year");
  d.parts.push_back({Kind::svg,
                     yearly_svg(y, c),
                     {},
                     say(c, "Figur 3. Rekryterade, förfrågningar och genomförda uppdrag per år",
                         "Figure 3. Recruited, requests and loans per year")});
  table(yearly_table(y, c), "Siffrorna i figur 3", "The numbers of figure 3");

  // Table 1 is too wide for portrait A4 at full size: it gets landscape pages of its own.
  const auto first_wide = d.parts.size();
  heading("Förfrågningar om uppdrag", "Requests");
  // The page leaves out what does not fit A4 (the register's ids and dates), and the phase
  // when the configuration names none; table1.csv has all.
  auto requests =
      without(requests_report(db, c, period, free_text), {"request", "received_on", "external"});
  if (std::all_of(requests.rows.begin(), requests.rows.end(),
                  [](const auto& r) { return std::get<std::string>(r[1]).empty(); })) {
    requests = without(std::move(requests), {"phase"});
  }
  table(std::move(requests), "Tabell 1. Förfrågningar om uppdrag och hur de gick",
        "Table 1. Requests and how they went");
  paragraph(
      "Ett streck (–) betyder att uppgiften inte finns, till exempel antalet erfarna när "
      "förfrågan inte blev något uppdrag. En nolla betyder att det blev noll.",
      "A dash (–) means there is nothing to give, such as the number of experts when a "
      "request led to no loan. A nought means the number was nought.");
  for (auto i = first_wide; i < d.parts.size(); ++i) {
    d.parts[i].wide = true;
  }

  heading("Luckor i biblioteket", "Gaps in the pool");
  auto pool = pool_report(db, c);
  std::erase_if(pool.rows, [](const auto& r) { return !std::get<bool>(r[7]); });
  if (pool.rows.empty()) {
    paragraph("Varje område har minst två aktiva erfarna med samtycke till förfrågningar.",
              "Every area has at least two active experts who agreed to be sent requests.");
  } else {
    paragraph("Områden där färre än två aktiva erfarna med samtycke till förfrågningar finns.",
              "Areas with fewer than two active experts who agreed to be sent requests.");
    table(without(pool, {"area", "gap"}), "Tabell 2. Områden med färre än två erfarna",
          "Table 2. Areas with fewer than two experts");
  }

  heading("Uppföljning av lån", "Follow-up of loans");
  auto followups = without(followups_report(db, c, period), {"measure"});
  followups.units = {"", "", "%"};
  table(std::move(followups), "Tabell 3. Uppföljning av de lån som genomfördes",
        "Table 3. Follow-up of the loans carried out");
  return d;
}

}  // namespace lbib::reports
