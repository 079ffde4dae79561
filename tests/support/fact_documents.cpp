#include "tests/support/fact_documents.h"

#include <utility>

#include "core/index/schema.h"

namespace treaty::test {
namespace {

Document make(const std::string& symbol, const std::string& title, const std::string& doc_type,
              const std::string& issued, const std::string& language, const std::vector<std::string>& paragraphs) {
  Document doc;
  doc.symbol = symbol;
  doc.source = "hand-built";
  doc.header.title = title;
  doc.header.doc_type = doc_type;
  doc.header.issued = issued;
  doc.header.language = language;
  doc.header.distribution = "general";
  Passage header;
  header.id = schema::passage_id(symbol, "header");
  header.kind = PassageKind::header;
  header.para = "header";
  header.text = title.empty() ? doc_type : title + "\n" + doc_type;
  doc.passages.push_back(header);
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    Passage p;
    p.para = std::to_string(i + 1);
    p.id = schema::passage_id(symbol, p.para);
    p.number = static_cast<int>(i + 1);
    p.text = paragraphs[i];
    doc.passages.push_back(p);
  }
  return doc;
}

}  // namespace

std::vector<FactDocument> fact_documents() {
  std::vector<FactDocument> out;
  out.push_back({make("CBD/NP/MOP/3/4", "获取和惠益分享信息交换所的运作及进一步发展", "执行秘书的说明", "2018-10-05", "zh",
                      {"信息交换所的运作情况良好。", "各缔约方继续开展能力建设活动。", "信息交换所和能力建设相互支持。"}),
                 "np-mop:3", "note", "2018-10-05", "zh"});
  out.push_back({make("CBD/NP/MOP/3/4/Add.1", "获取和惠益分享信息交换所：使用情况统计", "执行秘书的说明 增编", "2018-10-22", "zh",
                      {"信息交换所的访问量逐年增加。", "用户调查的结果见附件。"}),
                 "np-mop:3", "note", "2018-10-22", "zh"});
  out.push_back({make("CBD/NP/MOP/3/INF/2", "区域讲习班成果汇编", "执行秘书的说明", "2018-10-12", "zh",
                      {"区域讲习班讨论了能力建设需求。"}),
                 "np-mop:3", "information", "2018-10-12", "zh"});
  out.push_back({make("CBD/COP/DEC/XIII/26", "", "缔约方大会通过的决定", "2016-12-17", "zh",
                      {"请执行秘书加强能力建设。", "欢迎信息交换所的进一步发展。"}),
                 "cop:13", "decision", "2016-12-17", "zh"});
  out.push_back({make("CBD/SBI/2/8", "能力建设、技术和科学合作", "执行秘书的说明", "2018-06-18", "en",
                      {"区域协作网络支持能力建设。", "信息交换所提供培训材料。"}),
                 "sbi:2", "note", "2018-06-18", "en"});
  out.push_back({make("UNEP/CBD/ICNP/3/10", "名古屋议定书政府间委员会第三次会议的报告", "", "", "",
                      {"委员会审议了信息交换所和能力建设。"}),
                 "icnp:3", "report", "", "zh"});
  return out;
}

}  // namespace treaty::test
