#include "core/documents/inline_names.h"

#include <algorithm>
#include <span>
#include <string>

#include "core/base/utf8.h"

namespace treaty::inline_names {
namespace {

constexpr std::size_t kMaxShortNameChars = 12;
constexpr std::size_t kMinNameChars = 4;
constexpr std::size_t kMaxNameChars = 30;
constexpr std::size_t kMaxRunChars = 40;  // Han characters looked at before a bracket

// Endings of a body's name (a service, a collection or a clearing-house is a body too).
constexpr std::u32string_view kNameEndings[] = {
    U"组织", U"网络", U"联盟", U"机构", U"委员会", U"中心", U"基金", U"基金会", U"伙伴关系", U"协会",
    U"学会", U"联合会", U"署", U"秘书处", U"理事会", U"论坛", U"研究所", U"研究院", U"学院", U"大学",
    U"银行", U"倡议", U"方案", U"计划", U"办事处", U"公约", U"条约", U"协定", U"共同体", U"平台",
    U"集团", U"工作组", U"小组", U"服务处", U"联络处", U"交换所", U"实验室", U"样本库", U"基因库",
    U"种质库", U"种子库"};

// Words that cannot be part of a name: prepositions, conjunctions, particles and the verbs that
// introduce a body. A name starts after the last one before its bracket.
constexpr std::u32string_view kBreakWords[] = {
    U"以及", U"包括", U"其中", U"通过", U"邀请", U"鼓励", U"支持", U"帮助", U"协助", U"欢迎", U"感谢",
    U"赞赏", U"注意到", U"认识到", U"呼吁", U"敦促", U"请求", U"要求", U"参加", U"参与", U"加入",
    U"联系", U"会同", U"委托", U"授权", U"资助", U"提供", U"得到", U"获得", U"收到", U"根据", U"按照",
    U"依照", U"依据", U"关于", U"对于", U"由于", U"作为", U"成为", U"诸如", U"例如", U"特别是",
    U"尤其是", U"同时", U"以便", U"除了", U"来自", U"代表", U"召集", U"主办", U"举办", U"承办",
    U"设立", U"建立", U"成立", U"发起", U"启动", U"祝贺", U"指出", U"表示", U"介绍", U"强调", U"回顾",
    U"决定", U"建议", U"同意", U"批准", U"核可", U"审议", U"讨论", U"针对", U"为了", U"提到", U"提及",
    U"谈到", U"述及", U"借助", U"依靠", U"采用", U"援引", U"引用", U"参照", U"报告了",
    U"与", U"和", U"及", U"同", U"向", U"在", U"由", U"对", U"为", U"经", U"据", U"将", U"把", U"被",
    U"并", U"而", U"或", U"的", U"了", U"请", U"是", U"即", U"如", U"从", U"给", U"让", U"使", U"于",
    U"又", U"均", U"都", U"也", U"还", U"已", U"等"};

// Words in which a single-character break word is only a part (共同体 is not 共 + 同 + 体).
constexpr std::u32string_view kBoundWords[] = {
    U"共同", U"同盟", U"协同", U"不同", U"相同", U"合同", U"认同", U"同业", U"和平", U"共和", U"和谐",
    U"温和", U"经济", U"经营", U"经验", U"已经", U"曾经", U"数据", U"自由", U"理由", U"对话", U"相对",
    U"绝对", U"对外", U"行为", U"认为", U"因为", U"是否", U"于是", U"如何", U"假如", U"从事", U"服从",
    U"供给", U"给予", U"转让", U"使用", U"大使", U"使命", U"位于", U"属于", U"在于", U"并行", U"合并",
    U"或者", U"而言", U"目的", U"的确", U"了解", U"申请", U"将来", U"立即", U"即将", U"首都", U"都市",
    U"还是", U"也是", U"又称", U"均衡", U"在线", U"存在", U"现在", U"所在", U"普及", U"涉及", U"惠及",
    U"埃及", U"被告", U"等级", U"平等", U"同等", U"高等", U"对等", U"与会"};

// Conjunctions that join two place names inside a name (亚洲及太平洋, 拉丁美洲和加勒比).
constexpr std::u32string_view kConjunctions[] = {U"和", U"及", U"与"};
constexpr std::u32string_view kPlaceWords[] = {
    U"非洲", U"亚洲", U"欧洲", U"美洲", U"北美", U"南美", U"大洋洲", U"加勒比", U"太平洋", U"大西洋",
    U"印度洋", U"地中海", U"中东", U"北非", U"西非", U"东非", U"南非", U"中非", U"西亚", U"中亚",
    U"东亚", U"南亚", U"东南亚", U"亚太", U"北极", U"南极", U"区域", U"地区", U"岛屿", U"东部", U"西部",
    U"南部", U"北部", U"中部"};
constexpr std::u32string_view kCompassPoints = U"东西南北中";

// Fields of work that a conjunction joins inside a name (环境和发展委员会, 获取和惠益分享…倡议,
// 能力建设和发展…委员会, 科学和技术中心).
constexpr std::u32string_view kFieldWords[] = {
    U"环境", U"发展", U"获取", U"惠益分享", U"能力建设", U"能力发展", U"科学", U"技术", U"研究", U"教育", U"培训",
    U"保护", U"养护", U"利用", U"可持续利用", U"监测", U"评估", U"管理", U"农业", U"粮食", U"卫生", U"贸易",
    U"经济", U"社会", U"文化", U"创新", U"信息", U"知识", U"政策", U"法律", U"规划", U"遗传资源", U"生物多样性"};

// Words before a name that point at it rather than name it.
constexpr std::u32string_view kDeterminers[] = {
    U"各", U"该", U"本", U"这", U"此", U"其", U"上述", U"所述", U"有关", U"相关", U"若干", U"所有",
    U"一些", U"这些", U"那些", U"其他", U"许多", U"多个", U"每个", U"一个", U"这一", U"各个"};

bool is_quote(char32_t cp) {
  return cp == '"' || cp == '\'' || cp == U'“' || cp == U'”' || cp == U'‘' || cp == U'’' ||
         cp == U'「' || cp == U'」' || cp == U'『' || cp == U'』';
}

std::u32string_view trim_spaces(std::u32string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool starts_with_any(std::u32string_view s, std::span<const std::u32string_view> words) {
  return std::any_of(words.begin(), words.end(), [&](std::u32string_view w) { return s.starts_with(w); });
}
bool ends_with_any(std::u32string_view s, std::span<const std::u32string_view> words) {
  return std::any_of(words.begin(), words.end(), [&](std::u32string_view w) { return s.ends_with(w); });
}

bool starts_with_place(std::u32string_view s) {
  if (starts_with_any(s, kPlaceWords)) return true;
  return !s.empty() && kCompassPoints.find(s.front()) != std::u32string_view::npos &&
         starts_with_any(s.substr(1), kPlaceWords);
}

// The length of the break word at run[i], 0 when none: the longest listed there, unless it is a
// single character bound into a word with a neighbour, or a conjunction between place names or
// between fields of work.
std::size_t break_word_at(std::u32string_view run, std::size_t i) {
  std::size_t len = 0;
  for (std::u32string_view w : kBreakWords)
    if (w.size() > len && run.substr(i).starts_with(w)) len = w.size();
  if (len != 1) return len;
  auto bound = [&](std::size_t at) {
    const std::u32string_view pair = run.substr(at, 2);
    return pair.size() == 2 &&
           std::find(std::begin(kBoundWords), std::end(kBoundWords), pair) != std::end(kBoundWords);
  };
  if ((i > 0 && bound(i - 1)) || bound(i)) return 0;
  const std::u32string_view one = run.substr(i, 1);
  const bool conjunction =
      std::find(std::begin(kConjunctions), std::end(kConjunctions), one) != std::end(kConjunctions);
  if (conjunction && ends_with_any(run.substr(0, i), kPlaceWords) && starts_with_place(run.substr(i + 1)))
    return 0;
  if (conjunction && ends_with_any(run.substr(0, i), kFieldWords) && starts_with_any(run.substr(i + 1), kFieldWords))
    return 0;
  return 1;
}

bool name_like(std::u32string_view name) {
  return name.size() >= kMinNameChars && name.size() <= kMaxNameChars && ends_with_any(name, kNameEndings);
}

// The code point ending at byte `pos` (0 at the start), its first byte in *start.
char32_t code_point_before(std::string_view s, std::size_t pos, std::size_t* start) {
  if (pos == 0) return *start = 0, 0;
  std::size_t i = pos - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  *start = i;
  return next_code_point(s, i);
}

// The title in 《…》 ending right before byte `end`.
std::optional<ByteSpan> title_before(std::string_view s, std::size_t end) {
  constexpr std::string_view open = "《", close = "》";
  if (end < close.size() || s.substr(end - close.size(), close.size()) != close) return std::nullopt;
  const std::size_t last = end - close.size();
  const std::size_t first = s.rfind(open, last);
  if (first == std::string_view::npos) return std::nullopt;
  const std::u32string title = to_u32(s.substr(first + open.size(), last - first - open.size()));
  if (!std::all_of(title.begin(), title.end(), is_han) || !name_like(title)) return std::nullopt;
  return ByteSpan{first + open.size(), last};
}

}  // namespace

std::optional<std::string_view> short_name_after(std::string_view s, std::size_t end) {
  std::size_t p = end;
  while (p < s.size() && s[p] == ' ' && p < end + 2) ++p;
  if (p >= s.size() || s[p] != '(') return std::nullopt;
  ++p;
  // Room for a prefix such as 以下简称 and quotes around 12 characters.
  const std::size_t close = s.find(')', p);
  if (close == std::string_view::npos || close - p > 96) return std::nullopt;
  const std::u32string whole = to_u32(s.substr(p, close - p));
  std::u32string_view content = trim_spaces(whole);

  // "(以下简称“X”)" and the like define X.
  for (std::u32string_view prefix : {U"以下简称", U"以下称", U"下称", U"简称", U"又称"}) {
    if (content.starts_with(prefix)) {
      content = trim_spaces(content.substr(prefix.size()));
      break;
    }
  }
  while (!content.empty() && is_quote(content.front())) content.remove_prefix(1);
  while (!content.empty() && is_quote(content.back())) content.remove_suffix(1);
  content = trim_spaces(content);
  if (content.empty() || content.size() > kMaxShortNameChars) return std::nullopt;

  // Cross-references and enumerations are not names.
  for (std::u32string_view word : {U"见", U"详见", U"参见", U"包括", U"例如", U"如", U"即", U"或", U"和",
                                   U"与", U"等", U"下同", U"同上", U"第", U"附件", U"原", U"前"}) {
    if (content.starts_with(word)) return std::nullopt;
  }
  if (content.front() >= '0' && content.front() <= '9') return std::nullopt;  // a year, a number
  bool latin_only = true;
  bool roman_only = true;
  for (char32_t cp : content) {
    const bool han = is_han(cp);
    if (!han && !is_alnum_non_han(cp) && cp != ' ' && cp != '-' && cp != '+' && cp != '&' && cp != '.' &&
        cp != U'·')
      return std::nullopt;
    if (han) latin_only = false;
    if (cp != 'i' && cp != 'v' && cp != 'x') roman_only = false;
  }
  if (latin_only && (content.size() < 2 || roman_only)) return std::nullopt;  // (a), (ii): list items
  // The same characters as bytes of `s` (the content is a part of the bracket's text).
  const std::string bytes = to_utf8(content);
  const std::size_t at = s.substr(p, close - p).find(bytes);
  return s.substr(p + at, bytes.size());
}

std::optional<ByteSpan> full_name_before(std::string_view s, std::size_t end, const std::vector<ByteSpan>& known) {
  if (auto title = title_before(s, end)) return title;

  // The run of Han characters before `end`, with the byte offset of each (then of `end`).
  std::u32string run;
  std::vector<std::size_t> at;
  std::size_t begin = end;
  bool capped = false;
  while (begin > 0) {
    std::size_t start = 0;
    const char32_t cp = code_point_before(s, begin, &start);
    if (!is_han(cp)) break;
    if (run.size() == kMaxRunChars) {
      capped = true;
      break;
    }
    run.push_back(cp);
    at.push_back(start);
    begin = start;
  }
  std::reverse(run.begin(), run.end());
  std::reverse(at.begin(), at.end());
  at.push_back(end);
  auto in_known = [&](std::size_t a, std::size_t b) {  // characters [a, b) overlap a known name
    return std::any_of(known.begin(), known.end(),
                       [&](const ByteSpan& k) { return k.begin < at[b] && at[a] < k.end; });
  };

  std::size_t first = 0;
  bool cut = false;
  for (std::size_t i = 0; i < run.size();) {
    const std::size_t len = break_word_at(run, i);
    if (len == 0 || in_known(i, i + len)) {
      ++i;
      continue;
    }
    first = i + len;
    cut = true;
    i += len;
  }
  if (capped && !cut) return std::nullopt;  // the name's start is out of sight
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (std::u32string_view d : kDeterminers) {
      const std::u32string_view rest = std::u32string_view(run).substr(first);
      if (rest.starts_with(d) && rest.size() - d.size() >= kMinNameChars && !in_known(first, first + d.size())) {
        first += d.size();
        stripped = true;
      }
    }
  }
  if (!name_like(std::u32string_view(run).substr(first))) return std::nullopt;
  return ByteSpan{at[first], end};
}

}  // namespace treaty::inline_names
