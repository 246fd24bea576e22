// heuristic_standard.cpp — libswitch's own heuristic, the default. Signals are weighted
// patterns, matched in one pass per text with an RE2::Set, plus measures taken in one scan (code
// line shape, symbol density, numbers, length). The last user message decides; the conversation
// before it adds context (a short follow-up to code is code). Weights and thresholds were tuned
// on the tune split of benchmarks/prompt_routing/labelled.jsonl; its holdout split was not used.
#include "prompt/heuristic_rules.hpp"
#include "prompt/text_scan.hpp"

#include <re2/set.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace sw::prompt {

namespace {

enum class Label : std::uint8_t { code, complex, simple, general };

struct Signal {
    Label label;
    double weight;  // on the raw scale (Scores)
    const char* name;
    const char* pattern;  // RE2, matched case-insensitively anywhere in the text
};

// Signals read in the last user message (and, for code, in the conversation before it).
constexpr std::array kSignals = {
    // ---- Code: the shape of code, its errors, its tools. ----
    Signal{Label::code, 0.7, "fenced block", R"(```)"},
    Signal{Label::code, 0.6, "error message",
           R"(traceback \(most recent call last\)|exception in thread|\bat [\w$.]+\([\w.]+:\d+\)|panicked at|segmentation fault|core dumped|undefined reference to|\b\w+(?:error|exception)\b:?|npm err!|error\[e\d+\]|\bts\d{4}\b|\berrno\b|missing separator|command not found|permission denied|no such file or directory|cannot find module|is not assignable to|is not a function|cannot read propert|promise \{|nullreference|stack ?overflow|exit code \d|status code \d{3}|\bsegfault\b)"},
    Signal{Label::code, 0.5, "definition or statement",
           R"(\b(?:def|fn|func)\s+\w+\s*\(|\bfunction\s*\w*\s*\(|\b(?:class|struct|interface|enum|impl|trait)\s+\w+\s*[:({<]|=>|->|::|\w+\s*\([^)]*\)\s*\{|#include|\bimport\s+[\w.{]|\bfrom\s+[\w.]+\s+import\b|\bconsole\.log|\bprintf\(|\bstd::|\bsystem\.out|\b\w+\.\w+\(\)|\w+\(\)|\b(?:const|let|var)\s+\w+\s*=|\$\{?[a-z_]\w*\}?\s*[=;)]|\$\([a-z]|\bfor \w+ in\b|\bwhile \(|\bif \(|\breturn\b.*;|\bnull\b|\bnil\b|\btrue\b.*\bfalse\b)"},
    Signal{Label::code, 0.55, "shell task",
           R"((?m)^\s*\$ \w|\bsudo\b|\b(?:apt(?:-get)?|brew|pip3?|npm|npx|yarn|pnpm|cargo|go|gem|conda|poetry) (?:install|add|run|build|get|update|init|test)\b|\bgit (?:commit|rebase|push|pull|merge|checkout|reset|stash|clone|log|diff|branch|cherry-pick|bisect|blame|tag)\b|\b(?:docker|kubectl|helm|chmod|chown|grep|sed|awk|curl|wget|ssh|scp|rsync|unzip|xargs|tmux|crontab|systemctl|journalctl|ffmpeg|jq|openssl|netstat|lsof|ps aux|killall|mkdir|symlink|ln -s)\b|\bfind (?:/|\.|~|all files)|\bkill (?:-\d+|port|process|pid|the process)\b|\btar (?:-?[xcz]|extract)|\b(?:files? (?:bigger|larger|older) than|recursively (?:delete|rename|copy|find)|rename all files|environment variable|path variable)\b)"},
    Signal{Label::code, 0.55, "query language",
           R"(\bselect\s+[\w*.,\s]+\s+from\s+\w|\binsert\s+into\b|\bcreate\s+(?:table|index|view)\b|\bjoin\s+\w+\s+on\b|\bgroup\s*by\b|\border\s+by\b|\bwhere\s+\w+\s*[=<>]|\bgroupby\b|\bgraphql\b|\bxpath\b|\bjsonpath\b)"},
    Signal{Label::code, 0.35, "inline code or path",
           R"(`[^`\n]{2,}`|(?:^|\s)(?:~|\.{1,2})?/[\w.-]+/[\w./-]*|\b[\w-]+\.(?:py|js|jsx|ts|tsx|cpp|cc|hpp|c|h|java|kt|go|rs|rb|php|sh|bash|ps1|yaml|yml|toml|ini|conf|cfg|proto|sql|csv|lock|gradle|xml|html|css|scss|vue|svelte|ipynb|env|dockerfile|makefile)\b|\blocalhost\b|:\d{4,5}\b|\bport \d{2,5}\b)"},
    Signal{Label::code, 0.5, "language or tool",
           R"(\b(?:python|pyhton|javascript|js|typescript|ts|java|golang|rust|kotlin|swift|php|ruby|scala|haskell|perl|lua|solidity|elixir|erlang|clojure|fortran|cobol|assembly|verilog|vhdl|matlab|julia|dart|flutter|bash|zsh|powershell|sql|postgres(?:ql)?|mysql|sqlite|mongodb|redis|kafka|elasticsearch|regex|regexp|dockerfile|makefile|cmake|gradle|maven|webpack|vite|babel|eslint|prettier|jest|pytest|junit|grpc|protobuf|json|yaml|html|css|tailwind|react|redux|vue|angular|svelte|next\.?js|nuxt|django|flask|fastapi|rails|laravel|spring(?: boot)?|express|node(?:\.?js)?|deno|jquery|axios|httpx|pandas|numpy|pytorch|tensorflow|keras|sklearn|scikit-learn|matplotlib|seaborn|tidyr|dplyr|ggplot2?|jupyter|git|github actions|gitlab ci|docker|compose|kubernetes|k8s|terraform|ansible|nginx|apache|systemd|cron|linq|\.net|winforms|wpf|unity|unreal|godot|arduino|raspberry pi|vba|excel formula|google sheets formula|latex|vim|emacs|vscode|intellij|webassembly|wasm|opencv|llvm|gcc|clang|swiftui|jetpack compose|android studio|xcode|asm|x86|arm64|in c|in r|vs ?code|\.venv|venv|virtualenv|s3 bucket|aws cli|gcloud|azure cli)\b|c\+\+|c#|f#)"},
    Signal{Label::code, 0.3, "programming word",
           R"(\b(?:function|method|class|script|snippet|compile[sd]?|compiler|syntax|debug(?:ging)?|refactor(?:ing)?|bug|variable|loop|array|list comprehension|dictionary|hashmap|struct|pointer|recursion|recursive|unit tests?|endpoint|api|sdk|cli|terminal|command line|one-liner|codebase|repo(?:sitory)?|pull request|merge conflict|deploy(?:ment)?|config(?:uration)? file|env(?:ironment)? var(?:iable)?s?|dependency|package|library|framework|import|module|runtime|async|await|thread|mutex|deadlock|race condition|memory leak|garbage collect\w*|type hints?|generic|interface|lambda|closure|callback|promise|iterator|generator|decorator|middleware|orm|migration|schema|query|index|regex|parse|parser|serialize|deserialize|json|csv|http request|rest api|websocket|oauth|jwt|token|hash|encrypt|checksum|boolean|integer|string|float|null|binary search|linked list|binary tree|hash table|big-?o|time complexity|leetcode)\b)"},
    Signal{Label::code, 0.35, "code task",
           R"(\b(?:write|implement|code|fix|debug|refactor|optimi[sz]e|port|rewrite|convert|translate|review|generate|create|build|make)\b.{0,50}\b(?:function|script|program|code|class|method|query|regex|snippet|module|endpoint|test|api|cli|bot|scraper|parser|component|hook|macro|makefile|dockerfile|config|workflow|pipeline|schema|migration|app)s?\b)"},
    Signal{Label::code, 0.5, "code words (other languages)",
           R"(函数|代码|程序|脚本|编程|报错|関数|コード|プログラム|スクリプト|エラー|함수|코드|프로그램|스크립트|에러|функци\w*|код\b|программ\w*|скрипт\w*|ошибк\w*|ディレクトリ|ファイル|テーブル|コマンド|디렉터리|파일|테이블|명령어|каталог\w*|файл\w*|таблиц\w*|команд\w*|بايثون|كود|برمج|फ़ंक्शन|कोड|प्रोग्राम|\bfunción\b|\bfonction\b|\bfunktion\b|\bfunzione\b|\bfunção\b|\bscript\b|\bprogramme\b|\bprogramma\b|\bquery\b)"},

    // ---- Complexity: reasoning that takes several steps, or expert depth. ----
    Signal{Label::complex, 0.45, "mathematics",
           R"(\b(?:prove|proof|theorem|lemma|corollary|integral|integrate|derivative|differentiate|eigen\w*|matri(?:x|ces)|determinant|probability|probabilities|expected (?:value|number)|variance|standard deviation|combinatori\w*|how many (?:\w+ )?ways|permutations?|combinations|modulo|mod \d|prime|primes|infinitely many|converge[sn]?|convergence|limit of|polynomial|inequality|induction|irrational|divisible|divisor|remainder|last digit|natural numbers?|integers?|real numbers?|optimal|optimum|minimi[sz]e|maximi[sz]e|rigorous(?:ly)?|formal(?:ly)? argument|counterexample|vertices|graph theory|chessboard|dice|coin flips?|coin tosses?)\b|\^\d|\d\s*[!²³])"},
    Signal{Label::complex, 0.4, "design or trade-off",
           R"(\b(?:trade-?offs?|pros and cons|architecture|design (?:a|an|the|our|my)\b|system design|how (?:would|should) (?:you|we|i) (?:design|build|architect|structure|handle|approach|scale)|scal(?:e|able|ability|ing)|consisten(?:cy|t)|distributed|replica\w*|fault[- ]toleran\w*|high availability|failover|idempoten\w*|exactly[- ]once|race|concurren\w*|latency|throughput|bottleneck|migrat\w+|attack surface|threat model|security review|strateg\w+|implications?|consequences|long-term|second-order|mechanisms?|root cause)\b)"},
    Signal{Label::complex, 0.3, "analysis",
           R"(\b(?:analy[sz]e|analysis|evaluate|assess|critique|compare|contrast|justify|derive|why (?:does|do|is|are|did|would|can't|doesn't|isn't)|how come|what would happen|what happens if|should (?:i|we)|is it (?:legal|ethical|fair|possible|true that)|estimate|roughly how many|how (?:much|many) would|order of magnitude|fermi|show your (?:work|assumptions|reasoning)|assumptions|step by step|walk me through|in depth|thorough|convince|argument)\b)"},
    Signal{Label::complex, 0.35, "scenario",
           R"(\b(?:legal(?:ly)?|illegal|lawsuit|sue|liab(?:le|ility)|contract|clause|landlord|tenant|lease|deposit|employer|employment law|copyright|patent|gdpr|diagnos\w+|symptoms?|dosage|side effects|medication|treatment|prognosis|blood pressure|tax(?:es)?|invest\w*|portfolio|inflation|interest rates?|mortgage|econom\w+|monetary|fiscal|policy|regulation|geopoliti\w+|supply chain)\b)"},
    Signal{Label::complex, 0.4, "puzzle",
           R"(\b(?:riddle|puzzle|paradox|trick question|how is (?:that|this|it) possible|each (?:of them|person|one|day|other)|no two|at least (?:one|two|half)|at most|exactly (?:one|two|three)|all but|twice as|three times as|half as|(?:twice|three times) (?:as old|her age|his age)|how old (?:is|was|will)|is lying|tells the truth|always lies|knights?|knaves?|every label|wrong label|guarantee|strategy that|plan that|in the fewest|minimum number|maximum number|worst case|the host|doors?|hats?|prisoners?|pirates?|coins?|scales?|weigh(?:ings?)?|river|boat|bridge|flashlight|wolf|goat|cabbage)\b)"},
    Signal{Label::complex, 0.45, "reasoning (other languages)",
           R"(\b(?:demuestr[ae]|demostrar|prouve[rz]?|démontre[rz]?|beweise[n]?|dimostra(?:re)?|prove que|probabilidad|probabilité|wahrscheinlichkeit|probabilità|leite (?:her|ab)|herleiten|erkläre,? warum|por qué|pourquoi|warum|perché|por que|est-ce légal|es legal|ist (?:das|es) (?:legal|rechtens)|è legale|é legal|diseñar|concevoir|entwerfen|progettare|projetaria|projetar|diseñarías|concevriez|würdest du .* entwerfen|impacto|impact|auswirkung\w*|conséquences|consecuencias|conseguenze|consequências|natürliche zahlen|nombres premiers|números primos|numeri primi|dreimal so alt|doppelt so alt)\b|证明|概率|为什么|设计|影响|讨论|合同|条款|赔偿|証明|確率|なぜ|設計|影響|契約|증명|확률|왜|설계|영향|계약|доказ\w+|вероятност\w+|почему|спроектир\w+|влияни\w+|простое число|натуральные|врач\w*|диагноз\w*|اثبت|احتمال|لماذا|تصميم|تأثير|सिद्ध|संभावना|क्यों|प्रभाव|महंगाई|ब्याज दर|डॉक्टर|医生|医師|의사|طبيب|転倒|頭痛|症状|病気|증상|병원|症状|糖尿病|당뇨|\b(?:médico|médecin|arzt|medico|diabetes|diabète|insuficiência|insuffisance|krankheit|malattia|enfermedad|doença|maladie|abogado|avocat|anwalt|avvocato|advogado|impuesto|impôt|steuer|tassa|imposto)\b)"},

    // ---- Simplicity: a short question with a one-line answer. ----
    Signal{Label::simple, 0.4, "factual question",
           R"((?:^|[.!?:,]\s+|\b(?:ok|okay|thanks|thx|cool|great|unrelated|btw|also|and|so|quick(?: question| check)?|one more|just tell me)[:,!.]?\s+)(?:(?:roughly |approximately )?what(?:'s| is| was| are| were| does .{1,40} (?:mean|stand for)| year| colou?r| language| day| time| temperature| gas| animal| country| city| element| planet| \w+ (?:do|does|did|is|are|was|were)\b)|wat(?:s| is)|whos|who(?:'s| is| was| were| wrote| invented| invnted| discovered| painted| founded| directed| won| coined| designed| built| sang| played| said| is the| was the)|how often|hw many|when (?:is|was|did|does)|where (?:is|was|are|does|do)|which (?:is|was|country|city|planet|ocean|language)|how (?:many|much|old|tall|far|long|big|deep|hot|cold|fast|heavy|high) |how do you (?:say|spell|pronounce)|define\b|definition of|meaning of|is (?:a|an|the|it true)\b|are (?:there|tomatoes)\b|does (?:a|an|the)\b|did (?:a|an|the)\b)|^(?:is|are|was|were|can|does|do|did|has|have|will) [\w'‘’"“”-]+(?: [\w'‘’"“”-]+){0,7}\??$)"},
    Signal{Label::simple, 0.4, "lookup",
           R"(\b(?:capital of|population of|currency of|synonym|antonym|plural of|past tense|spell(?:ed|ing)?|abbreviation|acronym|stand for|boiling point|freezing point|speed of light|in (?:celsius|fahrenheit|kelvin|kilometers|km|miles|kg|pounds|lbs|ounces|grams|inches|centimeters|cm|meters|feet|dollars|euros)|convert \d|how many (?:days|hours|minutes|seconds|weeks|months|years|legs|sides|players|planets|continents|bones|teeth|states|countries|ounces|grams|cups|feet|inches|meters|centimeters)|what year|what time zone|largest|smallest|tallest|longest|highest|deepest|first person|primary colou?rs|chemical symbol|atomic number|square root of|percent of|% of|yes or no)\b|\bconvert \d)"},
    Signal{Label::simple, 0.45, "arithmetic",
           R"(^[^a-z]*\d+(?:[.,]\d+)?\s*(?:[-+*/x×÷^%]|times|plus|minus|divided by)\s*\(?\d+(?:[.,]\d+)?[^a-z]*$|\b(?:what is|what's|evaluate|calculate|compute)\s+\(?\d+(?:[.,]\d+)?\s*(?:[-+*/x×÷^%]|times|plus|minus|divided by|percent of)\s*\(?\d+|\bis \d+ (?:a )?prime\b|\b(?:sqrt|square root|cube root|half|double|a third|a quarter|twice) of \d|\b\d+(?:[.,]\d+)? (?:and|or|vs\.?) \d+(?:[.,]\d+)?\b.{0,20}\b(?:bigger|larger|smaller|greater)\b)"},
    Signal{Label::simple, 0.4, "factual question (other languages)",
           R"((?:^|[\s¿¡«"'“])(?:qu[ée] es|c[óo]mo se (?:dice|dice en)|comment dit-on|como se diz|wie sagt man|in welchem jahr|wofür steht|que veut dire|en quelle année|in che anno|em que ano|en qué año|qui[ée]n (?:es|fue|escribi[óo]|invent[óo]|pint[óo])|cu[áa]l es|cu[áa]ndo|d[óo]nde (?:est[áa]|queda)|cu[áa]nt[oa]s?|qu'est-ce|quel(?:le)? est|qui (?:est|a)|combien|o[ùu] (?:est|se)|quand|was (?:ist|sind|bedeutet|heißt)|wer (?:ist|war|hat)|wie viele?|wie (?:hoch|alt|lang|weit)|wann|wo (?:ist|liegt)|welche sprache|o que (?:é|significa)|quem (?:é|foi)|quant[oa]s?|quando|onde|qual (?:é|a)|cos'è|chi (?:è|ha)|quant[ie]|dove|что (?:такое|значит)|кто (?:такой|написал)|сколько|где|когда|какой)|什么是|是什么|谁|多少|哪里|哪个|几|首都|怎么说|用英语|吃什么|何ですか|とは|誰|いくつ|どこ|何年|首都は|何メートル|何と言い|英語で|무엇|누구|몇|어디|수도|क्या है|क्या होता|कौन|कितने|कितना|राजधानी|ما هو|ما هي|من هو|كم|أين|عاصمة|كيف أقول|بالإنجليزية)"},

    // ---- General: writing, advice, opinion, conversation; they pull away from the others. ----
    Signal{Label::general, 0.5, "writing task",
           R"(\b(?:write|draft|compose|rewrite|rephrase|reword|polish|proofread|summari[sz]e|shorten|expand|continue|turn (?:this|these|it) into)\b.{0,60}\b(?:poem|haiku|limerick|sonnet|story|tale|song|lyrics|verse|stanzas?|email|e-mail|letter|note|message|toast|speech|post|tweet|caption|bio|essay|paragraph|article|newsletter|review|slogan|tagline|headline|ad|description|invitation|cover letter|text|notes|summary|bullet points|script for a)\b|\b(?:poem|haiku|limerick|sonnet|short story|bedtime story|slogan|tagline|toast|joke|pun|riddle for kids)\b)"},
    Signal{Label::general, 0.4, "advice or opinion",
           R"(\b(?:any tips|tips (?:for|on|to)|advice|ideas? (?:for|to)|suggestions?|recommend\w*|what should i|should i\b|your (?:take|opinion|thoughts|favorite|favourite)|in your opinion|do you think|would you rather|is it rude|is it weird|is it normal|how (?:do|can|should) i (?:deal|cope|handle|tell|ask|stop|start|stay|get|make|keep|be|find|say)|how to (?:politely|deal|cope|handle|tell|ask|stop|start|stay|get better|be)|help me (?:decide|choose|plan|pick|write|think)|brainstorm|role-?play|pretend|act as|let's play|entertain me|i'm bored|cheer me up|motivat\w+|good (?:\w+ )?ideas|best (?:way|time|season|place|gift)|cheap|budget|gift|date ideas?|what to (?:do|eat|cook|wear|watch|read))\b)"},
    Signal{Label::general, 0.3, "writing or advice (other languages)",
           R"(\b(?:escribe|escríbeme|redacta|écris|rédige|schreib(?:e)?|verfasse|scrivi|escreva|escreve|poema|poème|gedicht|poesia|poesía|cuento|histoire|geschichte|storia|história|consejos?|conseils?|tipps?|consigli|dicas|ideas? para|idées|ideen|idee per|ideias|continua|continúa|continue avec|mach weiter|plus court|mehr|otra|encore)\b|写一|写首|帮我写|建议|推荐|書いて|おすすめ|アドバイス|써줘|추천|조언|напиши|посоветуй|совет|اكتب|نصيحة|लिखो|सलाह)"},
};

struct Measures {
    std::size_t length = 0;
    int code_lines = 0;         // lines shaped like code: ending in ; { } or starting like a statement
    double symbol_density = 0;  // share of the characters that are {}[]();=<>
    int identifiers = 0;        // snake_case and camelCase words
    int numbers = 0;            // separate numbers in the text
    int enumerated = 0;         // lines starting "1." "2)" "- " (requirements, steps)
    int sentences = 0;          // sentence ends: . ? ! and their CJK forms
    bool question = false;      // ends with a question mark (any script's)
};

bool lower(char c) { return c >= 'a' && c <= 'z'; }
bool upper(char c) { return c >= 'A' && c <= 'Z'; }

// What measure() needs to know of each byte, looked up in one table instead of a chain of
// comparisons per byte (the scan is most of the heuristic's time on long prompts).
enum CharClass : std::uint8_t { kOther = 0, kWord = 1, kDigit = 2, kSymbol = 4, kEnd = 8, kNewline = 16 };

constexpr std::array<std::uint8_t, 256> kCharClass = [] {
    std::array<std::uint8_t, 256> t{};
    for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = kWord;
    for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = kWord;
    for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = kWord | kDigit;
    t['_'] = kWord;
    for (char c : std::string_view("{}[]();=<>")) t[static_cast<unsigned char>(c)] = kSymbol;
    for (char c : std::string_view(".?!")) t[static_cast<unsigned char>(c)] = kEnd;
    t['\n'] = kNewline;
    return t;
}();

// A word with snake_case (a_b) or camelCase (aB) inside it.
bool identifier(std::string_view w) {
    for (std::size_t k = 1; k + 1 < w.size(); ++k) {
        if (w[k] == '_' && lower(w[k - 1]) && (lower(w[k + 1]) || upper(w[k + 1]))) return true;
        if (lower(w[k - 1]) && upper(w[k]) && lower(w[k + 1])) return true;
    }
    return false;
}

// A line (without its indentation) shaped like code.
bool code_line(std::string_view line, std::size_t indent) {
    const char last = line.back();
    return last == ';' || last == '{' || last == '}' || (indent >= 2 && last == ':') || line.starts_with("//") ||
           (line.starts_with("#") && !line.starts_with("# ")) || line.starts_with("return ") ||
           line.starts_with("if (") || line.starts_with("for (") || line.starts_with("while (") ||
           line.starts_with("elif ") || line.starts_with("else:") || line.starts_with("<");
}

bool enumerated_line(std::string_view line) {
    return (line.size() > 2 && line[0] >= '0' && line[0] <= '9' && (line[1] == '.' || line[1] == ')')) ||
           line.starts_with("- ") || line.starts_with("* ");
}

void measure_line(std::string_view line, Measures& m) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    std::size_t indent = 0;
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
    line.remove_prefix(indent);
    if (line.empty()) return;
    m.code_lines += code_line(line, indent);
    m.enumerated += enumerated_line(line);
}

Measures measure(std::string_view text) {
    Measures m;
    m.length = text.size();
    std::size_t symbols = 0, line_start = 0, word_start = 0;
    std::uint8_t previous = kOther;
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t cls = kCharClass[static_cast<unsigned char>(text[i])];
        if (cls & kWord) {
            if (!(previous & kWord)) word_start = i;
            if ((cls & kDigit) && !(previous & kDigit) && !(previous & kWord)) ++m.numbers;
        } else {
            if ((previous & kWord) && i - word_start >= 3 && identifier(text.substr(word_start, i - word_start)))
                ++m.identifiers;
            symbols += (cls & kSymbol) != 0;
            if ((cls & kEnd) && (i + 1 == n || text[i + 1] == ' ' || text[i + 1] == '\n')) ++m.sentences;
            if (cls & kNewline) {
                measure_line(text.substr(line_start, i - line_start), m);
                line_start = i + 1;
            }
        }
        // A number goes on through "1,000" and "3.5": its separators do not start a new one.
        previous = (cls == kOther || cls == kEnd) && (text[i] == '.' || text[i] == ',') && (previous & kDigit) &&
                           i + 1 < n && (kCharClass[static_cast<unsigned char>(text[i + 1])] & kDigit)
                       ? previous
                       : cls;
    }
    if ((previous & kWord) && n - word_start >= 3 && identifier(text.substr(word_start))) ++m.identifiers;
    measure_line(text.substr(std::min(line_start, n)), m);
    std::string_view t = text;
    while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\r' || t.back() == '\t')) t.remove_suffix(1);
    m.question = t.ends_with("?") || t.ends_with("？") || t.ends_with("؟");
    if (m.length > 0) m.symbol_density = static_cast<double>(symbols) / static_cast<double>(m.length);
    return m;
}

// One text's scores on the raw scale: a label's cut-off at the default thresholds is 0.5 for
// code and simplicity, 0.4 for complexity.
struct Scores {
    double code = 0, complex = 0, simple = 0, general = 0;
    bool asks_fact = false;  // a simple-question signal fired
    bool maths = false;
    std::vector<std::string> code_signals, complex_signals, simple_signals;
};

// Marks that a follow-up changes the subject, so the conversation's code does not carry over.
constexpr const char* kNewTopic =
    R"(\b(?:unrelated|btw|by the way|different question|another question|one more (?:thing|question)|off[- ]topic|switching (?:gears|topics)|random question|also,? (?:my|i|what|who|how))\b)";

struct StandardRules final : Heuristic::Rules {
    re2::RE2::Set set{[] {
                          re2::RE2::Options o;
                          o.set_case_sensitive(false);
                          o.set_log_errors(false);
                          // Room for the set's DFA: with RE2's default budget a set this size
                          // falls back to the NFA on long prompts, several times slower.
                          o.set_max_mem(64 << 20);
                          return o;
                      }(),
                      re2::RE2::UNANCHORED};
    re2::RE2 new_topic{kNewTopic, re2::RE2::Quiet};

    StandardRules() {
        for (const Signal& sig : kSignals) {
            std::string error;
            if (set.Add(sig.pattern, &error) < 0)
                throw std::logic_error(fmt::format("heuristic signal \"{}\": {}", sig.name, error));
        }
        if (!set.Compile()) throw std::logic_error("heuristic signals: RE2 could not compile the set");
    }

    Scores read(std::string_view text) const {
        Scores s;
        std::vector<int> hits;
        set.Match(re2::StringPiece(text.data(), text.size()), &hits);
        for (int i : hits) {
            const Signal& sig = kSignals[static_cast<std::size_t>(i)];
            switch (sig.label) {
                case Label::code:
                    s.code += sig.weight;
                    s.code_signals.emplace_back(sig.name);
                    break;
                case Label::complex:
                    s.complex += sig.weight;
                    s.complex_signals.emplace_back(sig.name);
                    if (std::string_view(sig.name).starts_with("mathematics")) s.maths = true;
                    break;
                case Label::simple:
                    s.simple += sig.weight;
                    s.asks_fact = true;
                    s.simple_signals.emplace_back(sig.name);
                    break;
                case Label::general:
                    s.general += sig.weight;
                    s.simple_signals.push_back(std::string("-") + sig.name);
                    break;
            }
        }
        const Measures m = measure(text);
        if (m.code_lines >= 2) {
            s.code += std::min(0.75, 0.25 * m.code_lines);
            s.code_signals.push_back(fmt::format("{} code-shaped lines", m.code_lines));
        }
        if (m.identifiers > 0) {
            s.code += std::min(0.5, 0.25 * m.identifiers);
            s.code_signals.push_back(fmt::format("{} identifiers", m.identifiers));
        }
        if (m.length >= 40 && m.symbol_density >= 0.04) {
            s.code += 0.3;
            s.code_signals.push_back(fmt::format("symbol density {:.2f}", m.symbol_density));
        }
        // Several numbers in more than a sentence or two: a word problem, or a case to work out.
        if (m.numbers >= 2 && m.length >= 90 && s.general == 0) {
            const double w = m.numbers >= 4 ? 0.4 : 0.3;
            s.complex += w;
            s.simple -= w;
            s.complex_signals.push_back(fmt::format("{} numbers", m.numbers));
        }
        if (m.sentences >= 3 && m.question && m.length >= 100) {
            s.complex += 0.2;
            s.complex_signals.push_back("a question with context");
        }
        if (m.enumerated >= 3 && s.general == 0) {
            s.complex += 0.15;
            s.complex_signals.push_back(fmt::format("{} enumerated lines", m.enumerated));
        }
        if (m.length >= 120 && s.general == 0) {
            s.complex += m.length >= 1000 ? 0.35 : m.length >= 350 ? 0.25 : m.length >= 200 ? 0.15 : 0.1;
            s.complex_signals.push_back(fmt::format("{} characters", m.length));
        }
        // Writing, advice and opinion pull away from the other labels.
        s.complex -= s.maths ? 0 : 0.6 * s.general;
        s.simple -= s.general;
        // Simplicity is a factual question that is short.
        if (s.asks_fact) {
            if (m.length <= 60) s.simple += 0.2;
            else if (m.length <= 120) s.simple += 0.1;
            else if (m.length > 400) s.simple -= 0.6;
            else if (m.length > 200) s.simple -= 0.3;
            // A short factual question that happens to use a weighty word stays simple.
            if (m.length <= 100 && !s.maths) s.complex -= 0.3;
        } else if (m.question && m.length <= 60 && s.general == 0 && s.complex == 0) {
            s.simple += 0.5;
            s.simple_signals.emplace_back("short question");
        }
        return s;
    }

    void score(const Prompt& prompt, const HeuristicThresholds&, LabelScore& code, LabelScore& complex,
               LabelScore& simple) const override {
        const std::string_view last = prompt.last_user();
        Scores s = read(last);
        // A short follow-up in a conversation about code is about code too ("now make it async"),
        // unless it says it changes the subject or asks something else entirely.
        if (s.code < 0.5 && prompt.messages.size() > 1 && last.size() < 300 && s.simple < 0.5 && s.general < 0.3 &&
            !re2::RE2::PartialMatch(re2::StringPiece(last.data(), last.size()), new_topic)) {
            std::string before;
            for (std::size_t i = 0; i + 1 < prompt.messages.size(); ++i)
                if (prompt.messages[i].role != "system") before += prompt.messages[i].text + "\n";
            const Scores context = read(before);
            if (context.code >= 0.8) {
                s.code += 0.5;
                s.code_signals.push_back("follows code");
            } else if (context.complex >= 0.8 && s.complex < 0.5) {
                s.complex += 0.4;
                s.complex_signals.push_back("follows reasoning");
            }
        }
        // Reported on the configured thresholds' scale: at the defaults, a raw cut-off is exactly
        // the threshold, and a threshold set higher or lower moves the cut-off in proportion.
        code.score = std::clamp(s.code * (0.2 / 0.5), 0.0, 1.0);
        complex.score = std::clamp(s.complex * (0.2 / 0.4), 0.0, 1.0);
        simple.score = std::clamp(s.simple * (0.3 / 0.5), 0.0, 1.0);
        code.signals = std::move(s.code_signals);
        complex.signals = std::move(s.complex_signals);
        simple.signals = std::move(s.simple_signals);
    }
};

}  // namespace

std::unique_ptr<const Heuristic::Rules> standard_rules() { return std::make_unique<StandardRules>(); }

}  // namespace sw::prompt
