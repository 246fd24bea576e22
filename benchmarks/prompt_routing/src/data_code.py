# Hand-written prompts for label "code".
# Entry: (lang, note, content) where content is a str (single user turn)
# or a list of (role, text) tuples (the last role must be "user").
S, U, A = "system", "user", "assistant"

ITEMS = [
("en", "short python how-to, no code in prompt", "how do I reverse a list in python"),
("en", "fenced python, debugging IndexError", """This keeps crashing, what's wrong?

```python
def moving_avg(xs, k):
    out = []
    for i in range(len(xs)):
        window = xs[i:i+k]
        out.append(sum(window) / k)
    return out[len(xs)-k+1]
```
I want a list of averages but I get 'float object is not subscriptable' somewhere else when I use it."""),
("en", "one-line shell question, no fences", "find all files bigger than 100MB under /var and sort them by size"),
("en", "multi-turn follow-up: make it thread-safe", [
    (U, "Write a tiny LRU cache class in Java with get and put."),
    (A, "Here is a simple version built on LinkedHashMap with accessOrder=true and removeEldestEntry overridden to cap the size at `capacity`."),
    (U, "and now make it thread-safe without just slapping synchronized on everything")]),
("es", "spanish, SQL query", "Necesito una consulta SQL que me devuelva los 5 clientes que más gastaron en 2023, tengo las tablas clientes(id, nombre) y pedidos(id, cliente_id, total, fecha)."),
("en", "stack trace pasted without fences", """Traceback (most recent call last):
  File "app.py", line 42, in <module>
    main()
  File "app.py", line 37, in main
    cfg = json.load(open(path))
  File "/usr/lib/python3.11/json/__init__.py", line 293, in load
    return loads(fp.read(),
json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 3 column 5 (char 27)
what does this mean"""),
("en", "regex explain (border: explain -> still code)", "explain what this regex does: ^\\d{3}-\\d{4}$"),
("en", "rust borrow checker error, fenced", """Why does the borrow checker reject this?

```rust
fn main() {
    let mut v = vec![1, 2, 3];
    let first = &v[0];
    v.push(4);
    println!("{}", first);
}
```"""),
("en", "typos, informal, js question", "yo how do i make a js fetch call wait for the respons before the next line runs?? it keeps giving me Promise {<pending>}"),
("en", "dockerfile review", """Can you review this Dockerfile? Image ends up 1.2GB.

FROM python:3.11
COPY . /app
WORKDIR /app
RUN pip install -r requirements.txt
RUN apt-get update && apt-get install -y build-essential
CMD ["python", "server.py"]"""),
("fr", "french, bash script request", "Écris-moi un script bash qui sauvegarde le dossier ~/photos dans une archive tar.gz datée et supprime les archives de plus de 30 jours."),
("en", "go concurrency, fenced", """Is there a race in this Go code? go vet says nothing.

```go
var counter int
func worker(wg *sync.WaitGroup) {
    defer wg.Done()
    for i := 0; i < 1000; i++ {
        counter++
    }
}
func main() {
    var wg sync.WaitGroup
    for i := 0; i < 8; i++ {
        wg.Add(1)
        go worker(&wg)
    }
    wg.Wait()
    fmt.Println(counter)
}
```"""),
("en", "misleading 'simple' + short", "simple one: git command to undo my last commit but keep the changes"),
("en", "yaml config, github actions", "write a github actions workflow that runs pytest on python 3.10 and 3.12 on every push to main and caches pip"),
("de", "german, C pointer question", "Warum stürzt mein C-Programm bei `char *s = \"hallo\"; s[0] = 'H';` ab? Ist das nicht ein ganz normaler String?"),
("en", "multi-turn with system prompt, TS refactor", [
    (S, "You are a senior TypeScript reviewer. Be concise."),
    (U, "function getUser(id) { return fetch('/api/users/' + id).then(r => r.json()) }"),
    (A, "Consider adding types, handling non-2xx responses, and using async/await."),
    (U, "ok rewrite it that way, with a User interface and a custom error for 404")]),
("en", "SQL window function", "How do I get a running total per customer ordered by date in PostgreSQL?"),
("en", "misleading 'translate' - code translation", "Translate this to idiomatic Python please: for (int i = 0; i < n; ++i) { if (a[i] % 2 == 0) sum += a[i] * a[i]; }"),
("zh", "chinese, python pandas", "用 pandas 怎么把一个 DataFrame 按 'city' 分组，然后计算每组 'price' 的中位数，并按中位数降序排列？"),
("en", "C++ template compile error", """g++ says:
error: no matching function for call to 'std::vector<std::unique_ptr<Node>>::push_back(std::unique_ptr<Node>&)'
note: candidate expects ... deleted function
I'm doing nodes.push_back(ptr); where ptr is a unique_ptr<Node>. fix?"""),
("en", "haskell, fenced", """Why is this Haskell so slow for n = 40, and how do I fix it?

```haskell
fib :: Int -> Integer
fib 0 = 0
fib 1 = 1
fib n = fib (n-1) + fib (n-2)
```"""),
("en", "3-word shell", "kill port 3000"),
("en", "misleading 'summarize' - what a function does", """Summarize what this function does in plain words, I inherited it:

def f(s):
    seen, out = set(), []
    for ch in s:
        if ch not in seen:
            seen.add(ch); out.append(ch)
    return ''.join(out)"""),
("pt", "portuguese, java exception", "Estou recebendo java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"nome\" is null. Como eu faço a verificação certa antes de chamar nome.length() em Java 17?"),
("en", "multi-turn: follow-up add tests", [
    (U, "write a python function that validates an IBAN"),
    (A, "```python\ndef is_valid_iban(iban: str) -> bool:\n    s = iban.replace(' ', '').upper()\n    if not s.isalnum() or len(s) < 15:\n        return False\n    s = s[4:] + s[:4]\n    n = ''.join(str(int(c, 36)) for c in s)\n    return int(n) % 97 == 1\n```"),
    (U, "nice. add pytest tests incl. edge cases")]),
("en", "long pasted code (1500+ chars), review request", """Please review this Flask endpoint for bugs and security problems. It's used in production for ~2k users.

```python
from flask import Flask, request, jsonify
import sqlite3, hashlib, os, time

app = Flask(__name__)
DB = os.environ.get("DB_PATH", "users.db")

def db():
    conn = sqlite3.connect(DB)
    conn.row_factory = sqlite3.Row
    return conn

@app.route("/register", methods=["POST"])
def register():
    data = request.get_json()
    user = data["username"]
    pw = data["password"]
    h = hashlib.md5(pw.encode()).hexdigest()
    conn = db()
    conn.execute(f"INSERT INTO users(name, pw) VALUES ('{user}', '{h}')")
    conn.commit()
    return jsonify(ok=True)

@app.route("/login", methods=["POST"])
def login():
    data = request.get_json()
    user = data.get("username")
    pw = data.get("password")
    conn = db()
    row = conn.execute(
        "SELECT * FROM users WHERE name = '%s'" % user
    ).fetchone()
    if row is None:
        return jsonify(error="no such user"), 404
    if row["pw"] != hashlib.md5(pw.encode()).hexdigest():
        time.sleep(1)
        return jsonify(error="wrong password"), 401
    token = hashlib.sha1((user + str(time.time())).encode()).hexdigest()
    conn.execute("UPDATE users SET token = ? WHERE name = ?", (token, user))
    conn.commit()
    return jsonify(token=token)

@app.route("/profile")
def profile():
    token = request.args.get("token")
    conn = db()
    row = conn.execute("SELECT name, email FROM users WHERE token = ?", (token,)).fetchone()
    return jsonify(dict(row))

@app.route("/delete", methods=["GET"])
def delete():
    name = request.args.get("name")
    conn = db()
    conn.execute("DELETE FROM users WHERE name = ?", (name,))
    conn.commit()
    return jsonify(deleted=name)

if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
```

Main worries: SQL injection, password storage, token handling. Anything else?"""),
("en", "misleading 'dress code' word avoided? no - css", "center a div horizontally and vertically with css, the shortest way"),
("ja", "japanese, javascript", "JavaScriptで配列の重複を削除する一番簡単な方法を教えてください。オブジェクトの配列の場合はどうしますか？"),
("en", "kubernetes yaml", "k8s deployment yaml for an nginx container with 3 replicas, readiness probe on /healthz and 256Mi memory limit"),
("en", "regex writing", "regex to match a UK postcode like SW1A 1AA or M1 1AE"),
("en", "multi-turn: error after running suggested code", [
    (U, "How do I read a CSV with pandas and skip the first 3 rows?"),
    (A, "Use `pd.read_csv('file.csv', skiprows=3)`."),
    (U, "now i get UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9 in position 12"),
    ]),
("ru", "russian, python asyncio", "Как в Python запустить 100 HTTP-запросов параллельно через asyncio и aiohttp, но не больше 10 одновременно?"),
("en", "makefile", "my Makefile says 'missing separator. Stop.' on line 5, the line is just '    gcc -o app main.c'"),
("en", "typos, C# linq", "how to groupby and count in linq c#, i hav a list of orders with CustomerId"),
("en", "explain code (misleading 'explain like I'm five')", """explain like i'm 5 what this does:
x = [i for i in range(20) if all(i % d for d in range(2, int(i**0.5)+1)) and i > 1]"""),
("en", "SQL index question with schema", """Query is slow (4s). Table events(id bigint pk, user_id bigint, kind text, created_at timestamptz), 40M rows.

SELECT * FROM events WHERE user_id = 123 AND created_at > now() - interval '7 days' ORDER BY created_at DESC LIMIT 50;

What index should I add?"""),
("it", "italian, git", "Come faccio a unire gli ultimi 3 commit in uno solo con git prima di fare push?"),
("en", "unit test writing, JS jest", "Write jest tests for a function slugify(str) that lowercases, trims, replaces spaces with dashes and strips non-alphanumerics."),
("en", "multi-turn: convert to async", [
    (U, "def fetch_all(urls):\n    return [requests.get(u).text for u in urls]"),
    (A, "This fetches the URLs sequentially. Do you want a concurrent version?"),
    (U, "yes, with httpx async please, and a timeout of 5s each")]),
("en", "awk one-liner", "awk to sum the third column of a tab separated file"),
("en", "rust, no fences, lifetime error", "error[E0106]: missing lifetime specifier on fn longest(a: &str, b: &str) -> &str  -- how do I fix this"),
("ko", "korean, react hook", "React에서 useEffect 안에서 setState를 하면 무한 루프가 생기는데, 의존성 배열을 어떻게 설정해야 하나요?"),
("en", "bash script debugging", """why does this only print the last file?

for f in $(ls *.txt); do
  name=$f
done
echo $name"""),
("en", "misleading word 'poem' - but code output", "Write a Python program that prints a poem line by line with a 0.5 second delay between lines."),
("en", "nginx config", "nginx config to redirect all http to https and proxy /api to localhost:8080"),
("hi", "hindi, python", "Python में दो lists को एक dictionary में कैसे बदलें? एक छोटा उदाहरण दीजिए।"),
("en", "multi-turn with system, SQL follow-up", [
    (S, "You help data analysts write SQL for BigQuery."),
    (U, "count daily active users from table app.events (user_id, event_ts)"),
    (A, "SELECT DATE(event_ts) AS day, COUNT(DISTINCT user_id) AS dau FROM app.events GROUP BY day ORDER BY day;"),
    (U, "now a 7-day rolling average of that")]),
("en", "C memory leak valgrind output", """valgrind says:
==1234== 40 bytes in 1 blocks are definitely lost in loss record 1 of 1
==1234==    at 0x4C2FB0F: malloc (vg_replace_malloc.c:299)
==1234==    by 0x108739: make_node (list.c:12)
==1234==    by 0x1087A1: main (list.c:30)

list.c line 12 is `Node *n = malloc(sizeof *n);` and in main I do `head = make_node(1); head = make_node(2);`. where's the leak"""),
("en", "kotlin", "kotlin data class vs regular class - show me an example where equals behaves differently"),
("en", "powershell", "powershell command to list the 10 biggest folders in C:\\Users"),
("en", "typo-heavy python", "pyhton how 2 chek if a string is a palindrom ignoring spaces and case"),
("es", "spanish, multi-turn follow-up code", [
    (U, "¿Cómo leo un archivo JSON en Node.js?"),
    (A, "Puedes usar `const data = JSON.parse(fs.readFileSync('archivo.json', 'utf8'));`"),
    (U, "¿y si quiero hacerlo asíncrono con await y manejar el error si el archivo no existe?")]),
("en", "misleading 'complex' - complex numbers in numpy", "how do I make a numpy array of complex numbers and get their magnitudes"),
("en", "terraform", "Terraform: create an S3 bucket with versioning enabled and block all public access"),
("en", "swift", "SwiftUI list with swipe to delete, data comes from an @State array of strings"),
("en", "perf question on specific code, fenced C++", """Why is version B 5x slower?

```cpp
// A
for (int i = 0; i < N; ++i)
  for (int j = 0; j < N; ++j)
    sum += m[i][j];
// B
for (int j = 0; j < N; ++j)
  for (int i = 0; i < N; ++i)
    sum += m[i][j];
```"""),
("en", "git merge conflict", "what do the <<<<<<< HEAD and >>>>>>> markers mean in my file and how do I resolve it from the command line"),
("fr", "french, regex email", "Quelle regex utiliser en JavaScript pour valider une adresse e-mail de façon raisonnable (pas parfaite) ?"),
("en", "multi-turn: port to rust", [
    (U, "def word_freq(text):\n    from collections import Counter\n    return Counter(text.lower().split()).most_common(10)"),
    (A, "This returns the ten most common lowercase whitespace-separated words."),
    (U, "port it to rust")]),
("en", "cron syntax", "cron expression for every weekday at 6:30am"),
("en", "jq", "jq filter to get the names of all items where price > 10 from {\"items\":[{\"name\":..,\"price\":..}]}"),
("en", "java spring error", "Spring Boot won't start: 'Parameter 0 of constructor in com.acme.OrderService required a bean of type com.acme.OrderRepository that could not be found.' The repository is an interface extending JpaRepository."),
("zh", "chinese, multi-turn, go", [
    (U, "Go 语言里怎么读取一个大文件的每一行？"),
    (A, "可以用 bufio.Scanner：scanner := bufio.NewScanner(f); for scanner.Scan() { line := scanner.Text() }"),
    (U, "有些行超过 64KB，scanner 报 token too long，怎么办？")]),
("en", "explain specific code: JS closure", """why does this print 3 3 3 instead of 0 1 2?
for (var i = 0; i < 3; i++) { setTimeout(() => console.log(i), 0); }"""),
("en", "misleading 'essay' - code", "I need an essay-length docstring... no actually just write the Python docstring for a function `merge_intervals(intervals)` in Google style"),
("en", "SQL, typos informal", "sql: delete duplicate rows but keep the one w/ lowest id, mysql 8"),
("en", "vim", "vim: how to replace foo with bar only in lines 10 to 20"),
("de", "german, docker compose", "Schreib mir eine docker-compose.yml mit Postgres 16, einem persistenten Volume und pgAdmin auf Port 5050."),
("en", "code review small TS snippet", """anything wrong here?
const total = items.reduce((acc, it) => acc + it.price * it.qty);"""),
("en", "multi-turn: user pastes new error", [
    (S, "You are a helpful programming assistant."),
    (U, "How do I install a specific version of a package with pip?"),
    (A, "`pip install requests==2.31.0`"),
    (U, "ERROR: Could not find a version that satisfies the requirement torch==1.8.0 (from versions: 2.2.0, 2.2.1, 2.3.0)"),
    (A, "That version has no wheel for your Python version. Which Python are you on?"),
    (U, "3.12. can I make a venv with 3.8 from the command line on ubuntu")]),
("en", "algorithm implementation request with code", "Implement Dijkstra's shortest path in C++ using a priority_queue, adjacency list input."),
("en", "binary search bug", """off-by-one somewhere, loops forever when target isn't there:

int bs(int *a, int n, int t) { int lo = 0, hi = n; while (lo < hi) { int mid = (lo + hi) / 2; if (a[mid] < t) lo = mid; else hi = mid; } return lo; }"""),
("pt", "portuguese, SQL", "Como faço um LEFT JOIN no SQL Server pra listar todos os produtos, mesmo os que nunca foram vendidos, com a quantidade vendida (0 se nunca)?"),
("en", "excel formula (border: formula is code-ish)", "excel formula: look up the price in sheet Prices column B where column A matches A2, return 'n/a' if not found"),
("en", "lua", "lua: how do I iterate a table in insertion order? pairs() gives random order"),
("en", "misleading 'story' - user story to code", "Turn this user story into a FastAPI endpoint: 'As a user I can POST a note with title and body and get back its id.'"),
("en", "long code paste: JS bug (1500+ chars)", """My todo app loses items after refresh sometimes. Here's the whole script:

```javascript
const STORAGE_KEY = 'todos-v2';
let todos = [];

function load() {
  const raw = localStorage.getItem(STORAGE_KEY);
  if (raw) {
    try {
      todos = JSON.parse(raw);
    } catch (e) {
      console.warn('corrupt storage', e);
      todos = [];
    }
  }
}

function save() {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(todos));
}

function addTodo(text) {
  const item = { id: Date.now(), text, done: false };
  todos.push(item);
  render();
  setTimeout(save, 500);
}

function toggle(id) {
  todos = todos.map(t => t.id === id ? { ...t, done: !t.done } : t);
  render();
  save();
}

function remove(id) {
  const idx = todos.findIndex(t => t.id == id);
  todos.splice(idx, 1);
  render();
  save();
}

function render() {
  const ul = document.querySelector('#list');
  ul.innerHTML = '';
  for (const t of todos) {
    const li = document.createElement('li');
    li.textContent = t.text;
    li.className = t.done ? 'done' : '';
    li.addEventListener('click', () => toggle(t.id));
    const del = document.createElement('button');
    del.textContent = 'x';
    del.addEventListener('click', (e) => { remove(t.id); });
    li.appendChild(del);
    ul.appendChild(li);
  }
}

document.querySelector('#add').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = document.querySelector('#new');
  if (input.value.trim()) addTodo(input.value.trim());
  input.value = '';
});

window.addEventListener('storage', () => { load(); render(); });
load();
render();
```

Also clicking the x sometimes toggles the item too. What's going on?"""),
("en", "short, ts generics", "typescript: type for an object with the same keys as T but all values boolean"),
("ar", "arabic, python", "كيف أكتب دالة في بايثون تحسب عدد الكلمات في ملف نصي وتطبع أكثر عشر كلمات تكراراً؟"),
("en", "multi-turn: review after user fix", [
    (U, "my react component re-renders on every keystroke in a parent input, how do i stop that"),
    (A, "Wrap the child in React.memo and make sure the props you pass are stable (useCallback/useMemo for functions and objects)."),
    (U, "did that:\nconst onSave = useCallback(() => save(form), []);\nstill re-renders and now it saves stale data??")]),
("en", "openssl command", "openssl command to check when the cert for example.com expires"),
("en", "misleading 'analyze' - but code task", "analyze this log line with a regex and pull out ip, timestamp and status: 203.0.113.7 - - [12/Mar/2024:10:01:22 +0000] \"GET /index.html HTTP/1.1\" 200 5120"),
("en", "python type hints question", "how to type hint a function that takes a callable returning either int or None in python 3.12"),
("es", "spanish, typos, js", "como ago q un boton en html cambie el color de fondo de la pagina cuando le doy click, soy nuevo en js"),
("en", "sql explain plan, paste", """EXPLAIN output:
Seq Scan on orders  (cost=0.00..184525.00 rows=5 width=64)
  Filter: (lower(email) = 'a@b.com'::text)
there IS an index on orders(email). why isn't it used"""),
("en", "c pointer arithmetic explain", "in C, what's the difference between int *a[10] and int (*a)[10]?"),
("en", "multi-turn, code then explain line", [
    (U, "bash one-liner to count lines of code in all .py files recursively"),
    (A, "`find . -name '*.py' -print0 | xargs -0 cat | wc -l`"),
    (U, "what is the -print0 / -0 part for")]),
("en", "scala", "scala: fold a List[Option[Int]] into the sum of the Somes"),
("en", "R language", "in R, how do I reshape a data frame from wide to long with tidyr, columns year_2019 year_2020 year_2021"),
("ja", "japanese, SQL", "PostgreSQLで、各ユーザーの最新の注文だけを取得するSQLを書いてください。テーブルは orders(id, user_id, created_at, amount) です。"),
("en", "graphql schema", "write a graphql schema for a blog: posts with authors and comments, plus a query to fetch a post with its comments paginated"),
("en", "misleading 'zip code' - code about postal code validation", "JS function to validate a US zip code, both 12345 and 12345-6789"),
("en", "webpack/vite config", "vite config: proxy /api to http://localhost:5000 during dev and set alias @ to src"),
("fr", "french, multi-turn, python", [
    (U, "J'ai une liste de dictionnaires en Python avec des clés 'nom' et 'age'."),
    (A, "D'accord, que voulez-vous en faire ?"),
    (U, "Les trier par âge décroissant puis par nom, et garder seulement les plus de 18 ans")]),
("en", "assembly x86", "what does `xor eax, eax` do in x86 asm and why is it used instead of mov eax, 0"),
("en", "segfault, fenced C", """segfault on the strcpy, why

```c
char *dup(const char *s) {
    char *d;
    strcpy(d, s);
    return d;
}
```"""),
("en", "java streams", "java 17: from a List<Employee> get a Map<Department, Double> of average salary"),
("en", "misleading 'simple' + 'explain' - still code", "Explain simply, then show code: how do I debounce a search input in vanilla JS?"),
("en", "multi-turn: config file follow-up", [
    (U, "I'm setting up eslint for a TS project"),
    (A, "Do you want the flat config (eslint.config.js) or the legacy .eslintrc?"),
    (U, "flat config, with typescript-eslint recommended rules and no-unused-vars as a warning")]),
("en", "matlab", "matlab: plot sin and cos on the same axes from 0 to 2pi with a legend"),
("en", "elixir pattern match", "elixir: why does {:ok, x} = File.read(\"missing.txt\") crash instead of returning an error"),
("ru", "russian, bash", "Как в bash проверить, существует ли переменная окружения, и если нет — выйти с ошибкой?"),
("en", "solidity (border: smart contract code)", "Solidity: minimal ERC-20 token with a fixed supply of 1 million minted to the deployer"),
("en", "informal python quick", "python f-string 2 decimal places"),
("en", "explain stack trace, java", """Exception in thread "main" java.util.ConcurrentModificationException
	at java.base/java.util.ArrayList$Itr.checkForComodification(ArrayList.java:1013)
	at java.base/java.util.ArrayList$Itr.next(ArrayList.java:967)
	at Main.main(Main.java:14)
line 14: for (String s : names) { if (s.isEmpty()) names.remove(s); }"""),
("en", "refactor request, python fenced", """Refactor this to be less repetitive:

```python
if kind == "circle":
    area = 3.14159 * r * r
elif kind == "square":
    area = s * s
elif kind == "rect":
    area = w * h
elif kind == "triangle":
    area = 0.5 * b * h
else:
    raise ValueError(kind)
```"""),
("it", "italian, java", "In Java qual è la differenza tra == e .equals() quando confronto due stringhe? Fammi un esempio dove danno risultati diversi."),
("en", "multi-turn: simple question after code is still code context (code follow-up)", [
    (U, "how do i sort a dict by value in python"),
    (A, "`sorted(d.items(), key=lambda kv: kv[1])`"),
    (U, "descending?")]),
("en", "protobuf", "write a .proto file for a UserService with GetUser and ListUsers rpc, ListUsers paginated"),
("en", "misleading 'code of conduct' word + actual code", "Our code of conduct page is a static HTML file; write a small script (node) that checks every link on it returns 200"),
("en", "typescript compile error", "TS2322: Type 'string | undefined' is not assignable to type 'string'. on const name: string = user.name; what's the cleanest fix"),
("zh", "chinese, regex", "写一个正则表达式，匹配中国大陆的手机号（11位，以1开头，第二位是3到9）。"),
("en", "long code paste: go service (~1350 chars), add graceful shutdown", """Can you add graceful shutdown to this? When I Ctrl-C it kills in-flight requests.

package main

import (
	"encoding/json"
	"log"
	"net/http"
	"sync"
	"time"
)

type Store struct {
	mu    sync.RWMutex
	items map[string]string
}

func (s *Store) Get(k string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.items[k]
	return v, ok
}

func (s *Store) Set(k, v string) {
	s.mu.Lock()
	s.items[k] = v
	s.mu.Unlock()
}

func main() {
	st := &Store{items: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/get", func(w http.ResponseWriter, r *http.Request) {
		k := r.URL.Query().Get("k")
		v, ok := st.Get(k)
		if !ok {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"k": k, "v": v})
	})
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ K, V string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		time.Sleep(2 * time.Second) // simulate slow write
		st.Set(body.K, body.V)
		w.WriteHeader(http.StatusNoContent)
	})
	srv := &http.Server{Addr: ":8080", Handler: mux}
	log.Println("listening on :8080")
	if err := srv.ListenAndServe(); err != nil {
		log.Fatal(err)
	}
}

I'd like a 10 second drain timeout and a log line when it's done."""),
("en", "short shell", "tar extract to specific dir"),
("en", "python packaging", "pyproject.toml for a package with a console script entry point `mytool = mytool.cli:main`, using hatchling"),
("en", "multi-turn: switch language", [
    (U, "write fizzbuzz in python"),
    (A, "for i in range(1, 101):\n    print('FizzBuzz' if i % 15 == 0 else 'Fizz' if i % 3 == 0 else 'Buzz' if i % 5 == 0 else i)"),
    (U, "now in haskell, without if-then-else chains if possible")]),
("en", "css grid", "css grid layout: header full width, sidebar 250px left, content fills rest, footer full width"),
("en", "misleading 'legal' word - code", "is it legal in C++ to call a virtual function from a constructor? what actually gets called"),
("pt", "portuguese, multi-turn, docker", [
    (U, "meu container docker sai logo depois de subir"),
    (A, "Qual é o comando (CMD/ENTRYPOINT) e o que aparece em `docker logs <id>`?"),
    (U, "o CMD é [\"npm\", \"start\"] e o log mostra: Error: Cannot find module '/app/index.js'")]),
("en", "redis command", "redis-cli: how do I find all keys matching session:* without blocking the server"),
("en", "explain code: python decorator", """what does the @wraps do here, would it break without it?

def timed(fn):
    @functools.wraps(fn)
    def inner(*a, **kw):
        t = time.perf_counter()
        r = fn(*a, **kw)
        print(fn.__name__, time.perf_counter() - t)
        return r
    return inner"""),
("en", "C# async deadlock", "my WinForms app freezes when I call GetDataAsync().Result in a button click handler. why and how to fix"),
("de", "german, SQL", "Wie schreibe ich in MySQL eine Abfrage, die für jeden Monat 2024 den Umsatz summiert, auch für Monate ohne Bestellungen (dann 0)?"),
("en", "typos, git", "git push rejectd 'updates were rejected because the tip of your current branch is behind' wat do"),
("en", "system + user, regex conversion", [
    (S, "You are a coding assistant inside an IDE."),
    (U, "convert this PCRE to something that works in Go's regexp: (?<=\\$)\\d+(?=\\.)"),
    ]),
("en", "ansible", "ansible playbook: install nginx on ubuntu hosts, copy a template to /etc/nginx/sites-available/app and restart on change"),
("en", "bit manipulation in code", "fastest way in C to check if an unsigned int is a power of two"),
("es", "spanish, rust", "¿Cómo convierto un String a i32 en Rust y manejo el caso en que el texto no sea un número?"),
("en", "misleading 'recipe' - code", "write a python class Recipe with ingredients and a method to scale servings, include __repr__"),
("en", "multi-turn: three-turn debugging ends in code question", [
    (U, "my python script can't find a module I just installed"),
    (A, "It's probably installed into a different interpreter. What does `which python` and `pip --version` print?"),
    (U, "/usr/bin/python3 and pip 23.0 from /home/me/.venv/lib/python3.11/site-packages/pip"),
    (A, "pip belongs to the venv but python is the system one. Activate the venv or run `python -m pip install ...`."),
    (U, "how do i make vscode always use that .venv interpreter for this folder")]),
("en", "numpy broadcasting error", "ValueError: operands could not be broadcast together with shapes (3,4) (3,) — I'm trying to subtract the row means from each row"),
]

# More multi-turn items (appended; split is assigned by position as usual).
ITEMS += [
("en", "multi-turn: add error handling to earlier snippet", [
    (U, "bash: loop over all .jpg in a folder and convert them to png with imagemagick"),
    (A, "for f in *.jpg; do convert \"$f\" \"${f%.jpg}.png\"; done"),
    (U, "filenames with spaces break it? and i want it to skip files that already have a png")]),
("en", "multi-turn with system: code review of SQL migration", [
    (S, "You review database migrations for a Postgres 15 production system."),
    (U, "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';\nCREATE INDEX orders_status_idx ON orders(status);"),
    (A, "The ADD COLUMN with a constant default is fast on PG11+. The CREATE INDEX, however, will lock writes on a large table."),
    (U, "orders has 300M rows. rewrite the migration so it's safe to run during business hours")]),
("de", "german, multi-turn: python follow-up", [
    (U, "Wie kann ich in Python eine Datei Zeile für Zeile lesen?"),
    (A, "with open('datei.txt', encoding='utf-8') as f:\n    for zeile in f:\n        print(zeile.rstrip())"),
    (U, "Und wie zähle ich dabei, wie oft das Wort 'Fehler' vorkommt, ohne Groß-/Kleinschreibung zu beachten?")]),
("en", "multi-turn: misleading 'simple' follow-up, still code", [
    (U, "write a C function that reverses a string in place"),
    (A, "void reverse(char *s) { size_t n = strlen(s); for (size_t i = 0; i < n / 2; i++) { char t = s[i]; s[i] = s[n-1-i]; s[n-1-i] = t; } }"),
    (U, "simple follow-up: what happens if s is NULL, and can you guard against it")]),
("en", "multi-turn: stack trace after running generated code", [
    (U, "give me a minimal express server with one GET /health route"),
    (A, "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.json({ ok: true }));\napp.listen(3000);"),
    (U, "node index.js gives:\nError [ERR_REQUIRE_ESM]: require() of ES Module not supported\nmy package.json has \"type\": \"module\"")]),
("en", "multi-turn: optimise earlier solution", [
    (U, "python: find all pairs in a list that sum to a target"),
    (A, "pairs = [(a, b) for i, a in enumerate(xs) for b in xs[i+1:] if a + b == target]"),
    (U, "that's O(n^2) and my list has 2 million items. faster version?")]),
("ja", "japanese, multi-turn: shell", [
    (U, "Linuxでディスクの使用量を確認するコマンドは？"),
    (A, "`df -h` でファイルシステムごとの使用量が確認できます。"),
    (U, "どのディレクトリが容量を食っているか、大きい順に10個表示したいです。")]),
("en", "multi-turn: 'explain' follow-up about specific code", [
    (U, "rust: how do I share a counter between threads"),
    (A, "let c = Arc::new(Mutex::new(0));\nlet hs: Vec<_> = (0..4).map(|_| { let c = Arc::clone(&c); thread::spawn(move || *c.lock().unwrap() += 1) }).collect();"),
    (U, "explain why I need both Arc and Mutex here, and would AtomicUsize be better")]),
("en", "multi-turn with system: dockerfile follow-up", [
    (S, "You are a DevOps assistant."),
    (U, "Dockerfile for a Go service"),
    (A, "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app ./cmd/server\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]"),
    (U, "builds are slow because every change re-downloads modules. fix the layer caching")]),
("es", "spanish, multi-turn: regex follow-up", [
    (U, "Necesito una regex para fechas en formato dd/mm/aaaa."),
    (A, "^(0[1-9]|[12]\\d|3[01])/(0[1-9]|1[0-2])/\\d{4}$"),
    (U, "¿Y cómo la uso en Python para extraer todas las fechas de un texto largo?")]),
("en", "multi-turn: typo-heavy follow-up", [
    (U, "how to make a python virtual env"),
    (A, "python3 -m venv .venv && source .venv/bin/activate"),
    (U, "on windows powershel it says 'running scripts is disabled on this system' wen i activate")]),
("en", "multi-turn: convert code to typed version", [
    (U, "const sum = (xs) => xs.reduce((a, b) => a + b, 0)"),
    (A, "That sums an array of numbers, returning 0 for an empty array."),
    (U, "make it generic TS so it also works on bigint arrays, with proper types")]),
]

ITEMS += [
("en", "misleading 'complexity'/'analyze' - still code (specific snippet)", """Analyze the time complexity of this and tell me if it can be done better:

def has_dup(xs):
    for i in range(len(xs)):
        for j in range(len(xs)):
            if i != j and xs[i] == xs[j]:
                return True
    return False"""),
("en", "multi-turn: 'which algorithm' about specific code", [
    (U, "found this in our codebase, no comments:\nvoid s(int*a,int n){for(int i=1;i<n;i++){int k=a[i],j=i-1;while(j>=0&&a[j]>k){a[j+1]=a[j];j--;}a[j+1]=k;}}"),
    (A, "It sorts the array `a` of length `n` in place in ascending order."),
    (U, "which sorting algorithm is it exactly, and rewrite it with readable names and comments")]),
("en", "multi-turn: compare two snippets", [
    (U, "I have two ways of building a string in Java"),
    (A, "Sure, paste them and I'll take a look."),
    (U, "A: String s = \"\"; for (String p : parts) s += p + \",\";\nB: String s = String.join(\",\", parts);\ncompare them, and is B's output different from A's?")]),
("ko", "korean, multi-turn: SQL follow-up", [
    (U, "MySQL에서 테이블의 행 개수를 세는 방법은?"),
    (A, "SELECT COUNT(*) FROM 테이블명; 을 사용하면 됩니다."),
    (U, "카테고리별로 개수를 세고, 10개 이상인 카테고리만 보여 주세요. 테이블은 products(id, category)입니다.")]),
]

# Long item placed at a holdout position (item 64) so holdout also has long code.
ITEMS.insert(63, ("en", "long code paste (1500+ chars): C++ iterator invalidation bug", """This C++ inventory class crashes randomly in release builds (works in debug, mostly). Can you find the bug(s)?

```cpp
#include <vector>
#include <string>
#include <unordered_map>
#include <algorithm>
#include <iostream>

struct Item {
    std::string sku;
    int qty;
    double price;
};

class Inventory {
public:
    void add(const std::string& sku, int qty, double price) {
        auto it = index_.find(sku);
        if (it != index_.end()) {
            it->second->qty += qty;
            return;
        }
        items_.push_back({sku, qty, price});
        index_[sku] = &items_.back();
    }

    bool remove(const std::string& sku, int qty) {
        auto it = index_.find(sku);
        if (it == index_.end()) return false;
        Item* item = it->second;
        if (item->qty < qty) return false;
        item->qty -= qty;
        if (item->qty == 0) {
            items_.erase(std::remove_if(items_.begin(), items_.end(),
                [&](const Item& i) { return i.sku == sku; }), items_.end());
            index_.erase(it);
        }
        return true;
    }

    double total_value() const {
        double sum = 0;
        for (const auto& i : items_) sum += i.qty * i.price;
        return sum;
    }

    void print_low_stock(int threshold) {
        for (auto it = items_.begin(); it != items_.end(); ++it) {
            if (it->qty < threshold) {
                std::cout << it->sku << ": " << it->qty << "\\n";
                if (it->qty == 0) items_.erase(it);
            }
        }
    }

private:
    std::vector<Item> items_;
    std::unordered_map<std::string, Item*> index_;
};

int main() {
    Inventory inv;
    for (int i = 0; i < 1000; ++i)
        inv.add("SKU" + std::to_string(i), i % 7, 9.99);
    inv.remove("SKU3", 3);
    inv.print_low_stock(2);
    std::cout << inv.total_value() << "\\n";
}
```

I'd prefer a fix that keeps lookups O(1)."""))
