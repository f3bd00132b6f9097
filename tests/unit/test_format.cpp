// SPDX-License-Identifier: MIT
#include <nlohmann/json.hpp>
#include <sstream>

#include "helpers.hpp"
#include "lbib/output/format.hpp"

namespace output = lbib::output;

namespace {

output::Table sample_table() {
  return output::Table{{"id", "name", "note"},
                       {{std::int64_t{1}, std::string("Åsa"), std::string("a;b")},
                        {std::int64_t{2}, std::string("Bo \"B\""), output::Value{}}}};
}

std::string render(output::Format f, const output::Table& t) {
  std::ostringstream out;
  output::write(out, f, t);
  return out.str();
}

}  // namespace

TEST_CASE("parse_format") {
  CHECK(output::parse_format("csv") == output::Format::csv);
  CHECK(output::parse_format("md") == output::Format::md);
  CHECK_LBIB_ERROR(output::parse_format("xml"), lbib::ExitCode::usage, "table, json, csv, md");
}

TEST_CASE("csv is what Swedish Excel expects") {
  const std::string csv = render(output::Format::csv, sample_table());
  CHECK(csv == "\xEF\xBB\xBFid;name;note\r\n1;Åsa;\"a;b\"\r\n2;\"Bo \"\"B\"\"\";\r\n");
}

TEST_CASE("csv_cell neutralises formulas and quotes per RFC 4180") {
  CHECK(output::csv_cell(std::string("=SUM(A1)")) == "'=SUM(A1)");
  CHECK(output::csv_cell(std::string("+46 70")) == "'+46 70");
  CHECK(output::csv_cell(std::string("-1")) == "'-1");
  CHECK(output::csv_cell(std::string("@cmd")) == "'@cmd");
  SUBCASE("the Unicode forms spreadsheets fold to = + - @") {
    for (const char* s :
         {"\uFF1D1+1", "\uFF0B46", "\uFF0D1", "\uFF20SUM(A1)", "\uFE661", "\uFE621", "\uFE631",
          "\uFE6Bx", "\u22121", " =1", "\u3000=1", "\u00A0+1", "\tx", "\rx"}) {
      CHECK(output::csv_cell(std::string(s)).find('\'') != std::string::npos);
      CHECK(output::starts_formula(s));
    }
    CHECK_FALSE(output::starts_formula("Åsa"));
    CHECK_FALSE(output::starts_formula("  "));
  }
  CHECK(output::csv_cell(std::string("\tx")) == "'\tx");
  CHECK(output::csv_cell(std::string("\rx")) == "\"'\rx\"");
  CHECK(output::csv_cell(std::string("line\nbreak")) == "\"line\nbreak\"");
  CHECK(output::csv_cell(std::int64_t{-5}) == "-5");  // numbers are data, not formulas
  CHECK(output::csv_cell(true) == "yes");
  CHECK(output::csv_cell(output::Value{}).empty());
}

TEST_CASE("json keeps types and column order") {
  const auto j = nlohmann::ordered_json::parse(render(output::Format::json, sample_table()));
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 2);
  CHECK(j[0]["id"] == 1);
  CHECK(j[0]["name"] == "Åsa");
  CHECK(j[1]["note"].is_null());
  CHECK(j[0].begin().key() == "id");
}

TEST_CASE("an empty table still has its header") {
  const output::Table empty{{"id", "name"}, {}};
  CHECK(render(output::Format::json, empty) == "[]\n");
  CHECK(render(output::Format::csv, empty) == "\xEF\xBB\xBFid;name\r\n");
  CHECK(render(output::Format::table, empty) == "id  name\n--  ----\n");
}

TEST_CASE("text table aligns by characters, not bytes") {
  const output::Table t{
      {"a", "b"},
      {{std::string("åäö"), std::string("x")}, {std::string("abcd"), std::string("y")}}};
  CHECK(render(output::Format::table, t) == "a     b\n----  -\nåäö   x\nabcd  y\n");
}

TEST_CASE("markdown escapes pipes and line breaks") {
  const output::Table t{{"x"}, {{std::string("a|b\nc")}}};
  CHECK(render(output::Format::md, t) == "| x |\n| --- |\n| a\\|b<br>c |\n");
}

TEST_CASE("a record renders fields and sections") {
  output::Record r;
  r.fields = {{"id", std::int64_t{7}}, {"name", std::string("Åsa")}};
  r.sections = {
      {"experiences",
       output::Table{{"role", "area"}, {{std::string("patient"), std::string("dementia")}}}}};
  std::ostringstream json;
  output::write(json, output::Format::json, r);
  const auto j = nlohmann::json::parse(json.str());
  CHECK(j["id"] == 7);
  CHECK(j["experiences"][0]["area"] == "dementia");
  std::ostringstream csv;
  output::write(csv, output::Format::csv, r);
  CHECK(csv.str().find("experiences.1.area;dementia\r\n") != std::string::npos);
}

TEST_CASE("a Swedish document reads as Swedish and prints with page numbers") {
  output::Document d;
  d.title = "Levande Bibliotek: sammanställning 2026";
  d.date = "1 december 2026";
  d.page_words = {"Sida", "av"};
  output::Table t{{"label", "count", "percent"},
                  {{std::string("Lån med uppföljningsmöte"), std::int64_t{7}, 77.777},
                   {std::string("Dagar (median)"), std::int64_t{44}, output::Value{}}},
                  {"Beskrivning", "Antal", "Procent"},
                  {"", "", "%"}};
  d.parts.push_back({output::Document::Part::Kind::table, {}, t, "Tabell 3. Uppföljning"});
  d.parts.push_back({output::Document::Part::Kind::paragraph, "Brett", {}, {}, true});
  std::ostringstream html;
  output::write(html, output::Format::html, d);
  const std::string page = html.str();
  CHECK(page.find("<caption>Tabell 3. Uppföljning</caption>") != std::string::npos);
  CHECK(page.find(">77,8\u00A0%</td>") != std::string::npos);
  CHECK(page.find("77.8") == std::string::npos);
  CHECK(page.find("<td class=\"e\">–</td>") != std::string::npos);
  CHECK(page.find("content: \"Sida\" \" \" counter(page) \" \" \"av\" \" \" counter(pages)") !=
        std::string::npos);
  CHECK(page.find("content: \"1 december 2026\"") != std::string::npos);
  CHECK(page.find("<div class=\"wide\">\n<p>Brett</p>\n</div>") != std::string::npos);
  std::ostringstream md;
  output::write(md, output::Format::md, d);
  CHECK(md.str().find("| Lån med uppföljningsmöte | 7 | 77,8\u00A0% |") != std::string::npos);
  // The data formats keep plain numbers.
  CHECK(render(output::Format::json, t).find("77.777") != std::string::npos);
  CHECK(render(output::Format::csv, t).find('%') == std::string::npos);
}

TEST_CASE("a RowWriter writes, row by row, what write() writes for the whole table") {
  auto t = sample_table();
  t.rows.push_back({std::int64_t{3}, std::string("line\nbreak | pipe"), std::string("=1+1")});
  auto with_audiences = t;
  with_audiences.columns.push_back("command");
  with_audiences.data_only = {"command"};
  with_audiences.people_only = {"note"};
  for (auto& row : with_audiences.rows) {
    row.push_back(std::string("lbib x"));
  }
  auto empty = t;
  empty.rows.clear();
  for (const auto format : {output::Format::json, output::Format::csv, output::Format::md,
                            output::Format::table, output::Format::html}) {
    for (const auto* table : {&t, &with_audiences, &empty}) {
      CAPTURE(static_cast<int>(format));
      std::ostringstream out;
      output::RowWriter rows(out, format, *table);
      for (const auto& row : table->rows) {
        rows.add(row);
      }
      rows.finish();
      CHECK(out.str() == render(format, *table));
    }
  }
  // JSON rows are written as they come, before the end.
  std::ostringstream out;
  output::RowWriter rows(out, output::Format::json, t);
  rows.add(t.rows[0]);
  CHECK(out.str().find("\"Åsa\"") != std::string::npos);
  rows.finish();
  CHECK(nlohmann::json::parse(out.str()).size() == 1);
  std::ostringstream ignored;
  CHECK_LBIB_ERROR(output::RowWriter(ignored, output::Format::svg, t), lbib::ExitCode::usage,
                   "svg");
}
