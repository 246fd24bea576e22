# Hand-written prompts for label "complex".
# Entry: (lang, note, content) where content is a str (single user turn)
# or a list of (role, text) tuples (the last role must be "user").
# Many items deliberately avoid "hard-sounding" trigger words (see validate.py).
S, U, A = "system", "user", "assistant"

ITEMS = [
("en", "classic CRT trap, plain wording", "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. How much does the ball cost?"),
("en", "number theory proof", "Prove that there are infinitely many primes of the form 4k+3."),
("en", "system design trade-offs, no code requested (border)", "design a rate limiter for a distributed API, consider consistency between nodes, clock skew and what happens when the shared store is down"),
("en", "probability puzzle, plain", "I have two children. At least one of them is a boy born on a Tuesday. What's the probability that both are boys?"),
("es", "spanish, legal scenario", "Mi casero quiere quedarse con toda la fianza porque dice que las paredes necesitan pintura después de 4 años de alquiler. En España, ¿puede hacerlo? ¿Qué cuenta como desgaste normal y qué pasos debería seguir?"),
("en", "Fermi estimate, with trigger words", "Roughly how many piano tuners are there in Chicago? Explain your reasoning step by step."),
("en", "logic puzzle, plain", "Three boxes are labelled 'apples', 'oranges' and 'apples and oranges', and every label is wrong. You may pick one fruit from one box without looking inside. How do you relabel all boxes correctly?"),
("en", "multi-turn: follow-up deepens into proof", [
    (U, "what's the sum 1 + 1/4 + 1/9 + 1/16 + ... ?"),
    (A, "It converges to π²/6 ≈ 1.6449. This is the Basel problem, solved by Euler."),
    (U, "why π²/6 though? show me a derivation that a strong undergrad could check line by line")]),
("en", "misleading 'simple' in a hard question", "Simple question: if you pick a random chord of a circle, what is the probability it is longer than the side of the inscribed equilateral triangle?"),
("en", "medical scenario, drug interactions", "My dad (68) takes warfarin and his doctor just added amiodarone for atrial fibrillation. He also drinks grapefruit juice every morning. Can you analyze which interactions we should worry about, what monitoring would normally be done, and which symptoms mean he should go to the ER?"),
("fr", "french, economics policy", "Quels seraient les effets à court et à long terme d'un plafonnement des loyers à Paris sur l'offre de logements, la qualité du parc et la mobilité des ménages ? Appuie-toi sur la littérature économique."),
("en", "competition math, number theory", "Find all positive integers n such that n^2 + 2n + 2020 is a perfect square, and prove there are no others."),
("en", "algorithm design without code (border)", "Prove that the greedy choice of always taking the activity that finishes earliest gives a maximum-size set of non-overlapping activities."),
("en", "typos, informal, hard probability", "ok so if i flip a fair coin till i get 2 heads in a row, how many flips on avg?? and whats the variance, my friend says 6 for the avg"),
("de", "german, physics derivation", "Leite her, warum die Fluchtgeschwindigkeit von der Erde etwa 11,2 km/s beträgt, und erkläre, warum sie nicht von der Masse der Rakete abhängt."),
("en", "multi-constraint planning, plain", "Plan a 10-day trip for 4 people: two of us can only travel on weekends at the start and end, one is vegetarian and one uses a wheelchair, total budget €6,000 including flights from Lisbon, and we want to see at least two countries reachable by train. Give me a day-by-day plan with costs and backup options."),
("en", "river crossing riddle variant with catch", "A farmer needs to cross a river with a wolf, a goat and a cabbage. The boat holds the farmer and two items. The wolf eats the goat if left alone together; the goat eats the cabbage. What is the fewest number of crossings?"),
("zh", "chinese, system design", "我们要做一个日活一千万的短视频推荐系统。请讨论召回、排序、特征存储和在线训练各部分该怎么设计，以及在延迟、成本和新鲜度之间如何取舍。"),
("en", "multi-turn: scenario escalation in law", [
    (U, "Can an employer in California make me sign a non-compete?"),
    (A, "Generally no: California Business and Professions Code §16600 voids most non-compete agreements, with narrow exceptions such as the sale of a business."),
    (U, "ok but my employer is in Texas, I work remotely from California, and the contract says Texas law applies and I got a $20k signing bonus tied to it. I'm about to join a competitor. what's my real exposure and what would each side argue?")]),
("en", "misleading 'explain briefly' - still needs derivation", "Briefly explain why you can't trisect an arbitrary angle with compass and straightedge — I want the actual argument, not just 'Galois theory'."),
("en", "bill splitting word problem, plain", "Three friends split a restaurant bill. Ana paid $40, Ben paid $25 and Carla paid nothing, but Carla ate twice as much as Ben and Ana ate the same as Ben. Tips were 20% and were supposed to be split equally. Who owes whom how much?"),
("en", "game theory, plain", "Five pirates of strictly different seniority must split 100 gold coins. The most senior proposes a split, everyone votes, and if at least half agree it passes; otherwise the proposer is thrown overboard. Pirates are perfectly rational, greedy, and prefer throwing someone overboard when indifferent. What does the most senior pirate propose?"),
("en", "short hard question", "Is 0.999... equal to 1? Convince a skeptic rigorously."),
("pt", "portuguese, medical scenario", "Minha mãe de 72 anos tem insuficiência renal crônica estágio 3 e diabetes tipo 2. O médico sugeriu trocar a metformina por outro remédio. Quais são as opções, como a função renal influencia a escolha e quais riscos devemos discutir na próxima consulta?"),
("en", "architecture trade-offs", "Compare event sourcing with a traditional CRUD + audit-log design for a banking ledger, covering correctness, schema evolution, GDPR deletion and operational cost."),
("en", "probability with catch, plain", "You're on a game show with three doors. You pick door 1. The host, who does NOT know where the car is, opens door 3 at random and it happens to show a goat. Should you switch now?"),
("en", "economics counterfactual, plain", "If a country cut its income tax rate from 40% to 30% and paid for it entirely by raising VAT from 15% to 22%, who would end up better off and who worse off, and what would happen to savings and prices over the next two years?"),
("ja", "japanese, math proof", "√2 が無理数であることの証明はよく知られていますが、√2 + √3 が無理数であることを厳密に示してください。"),
("en", "multi-turn with system: tutoring hard math", [
    (S, "You are a patient math olympiad coach. Guide the student but give full solutions when asked."),
    (U, "problem: a 8x8 chessboard with two opposite corners removed. can it be tiled with 2x1 dominoes?"),
    (A, "Good classic! Hint: think about the colours of the squares each domino covers."),
    (U, "got it, it's impossible. now what if I remove one white and one black square anywhere — is it always possible? give me the full argument")]),
("en", "scientific question needing derivation", "Why does a spinning top not fall over, and how fast does its axis precess? Give me a detailed explanation with the actual formula, not a hand-wave."),
("en", "misleading 'just curious, quick' - hard", "just curious, quick one: how many ways can you make change for a dollar using pennies, nickels, dimes and quarters?"),
("en", "legal scenario, plain, informal", "is it legal for my landlord to keep my whole deposit if i broke the lease 3 months early but found a replacement tenant who moved in the next week? im in ontario"),
("it", "italian, logic puzzle", "Su un'isola ci sono cavalieri che dicono sempre la verità e furfanti che mentono sempre. Incontri A, B e C. A dice: 'B è un furfante'. B dice: 'A e C sono dello stesso tipo'. C non dice nulla. Cosa puoi dedurre su ciascuno?"),
("en", "long scenario (1500+ chars): contract clause analysis", """I'm a freelance designer and a client sent me this contract. I need to understand what I'd actually be agreeing to and what the risks are before Friday. Relevant clauses:

4. Intellectual Property. All work product, including but not limited to drafts, sketches, concepts, rejected proposals, source files, fonts licensed by Contractor, and any pre-existing materials incorporated into the deliverables ("Work Product"), shall be deemed "work made for hire" and shall be the sole and exclusive property of Client upon creation. To the extent any Work Product does not qualify as work made for hire, Contractor hereby irrevocably assigns to Client all right, title and interest therein, including all moral rights, throughout the universe in perpetuity.

7. Payment. Client shall pay Contractor within ninety (90) days of Client's written acceptance of the final deliverables. Client may withhold acceptance at its sole discretion. Partial deliverables shall not be invoiced.

9. Non-Solicitation. For a period of thirty-six (36) months following termination, Contractor shall not provide services of any kind to any entity that is a customer, supplier or competitor of Client, whether directly or indirectly.

11. Indemnification. Contractor shall indemnify, defend and hold harmless Client, its affiliates, officers and agents from any and all claims, losses, damages, liabilities and expenses, including attorneys' fees, arising out of or related to the Work Product, regardless of whether such claims arise from Client's modifications or instructions.

14. Termination. Client may terminate this Agreement at any time for any reason upon written notice. Upon termination, Contractor shall deliver all Work Product in its then-current state and shall be entitled to no further compensation.

15. Governing Law. This Agreement shall be governed by the laws of the State of Delaware. Any dispute shall be resolved exclusively by binding arbitration in Wilmington, Delaware, with each party bearing its own costs.

I live in Oregon and the client is a mid-size company in New York. The project is a brand identity, 8 weeks, $14,000 fixed fee. Please analyze it: which clauses are normal, which are unusual or dangerous, how do they interact (e.g. 7 + 14 together), and what specific changes should I ask for? I'm not going to sue anyone, I just want a fair contract."""),
("en", "recurrence, plain", "In how many ways can you climb a staircase of 12 steps if you can take 1, 2 or 3 steps at a time, but never two 3-steps in a row?"),
("ru", "russian, probability", "В урне 5 белых и 7 чёрных шаров. Вынимаем шары по одному без возвращения. Какова вероятность, что последний вынутый шар белый? И почему ответ не зависит от порядка?"),
("en", "epidemiology base-rate, plain", "A test for a disease is 99% sensitive and 95% specific. The disease affects 1 in 1,000 people. I tested positive. How worried should I be, and what happens if I take a second independent test and it's also positive?"),
("en", "misleading 'code' = tax code, hard", "Under the US tax code, if I exercise ISOs in a year when the spread is $180k and sell half the shares 14 months later at a price below the exercise-date value, how do AMT and the disqualifying-disposition rules play out? Assume single filer, $150k salary."),
("ko", "korean, economics", "한국의 저출산 문제가 향후 30년간 연금 재정, 노동시장, 부동산 가격에 어떤 영향을 미칠지, 그리고 이민 확대 정책이 이를 얼마나 상쇄할 수 있을지 논의해 주세요."),
("en", "multi-turn: user pushes back on wrong answer", [
    (U, "If it takes 5 machines 5 minutes to make 5 widgets, how long would it take 100 machines to make 100 widgets?"),
    (A, "100 minutes."),
    (U, "that doesn't sound right to me. redo it carefully and then tell me how long 7 machines would need for 3 widgets if widgets can't be split between machines")]),
("en", "distributed systems replication trade-offs", "We run Postgres with one primary and two async replicas across two AZs. Leadership wants zero data loss and sub-10ms writes. Is that achievable? Explain what you would give up under each option (sync replication, quorum commit, moving to a consensus DB), and what happens during an AZ outage in each case?"),
("en", "geometry competition, plain", "A square of side 1 has a point P inside it such that the distances from P to three of the corners are 1, 1 and something. Find all possible positions of P and the distance to the fourth corner."),
("en", "misleading 'summarize' - but hard synthesis", "Summarize why the 2008 financial crisis spread from US subprime mortgages to European banks — the mechanisms, not a timeline. I want to understand the chain of causes well enough to argue about it."),
("hi", "hindi, puzzle", "एक आदमी के पास 8 लीटर का भरा बर्तन है और 5 लीटर व 3 लीटर के खाली बर्तन हैं। वह पानी को ठीक 4-4 लीटर में कैसे बाँटेगा? कम से कम कितने चरण लगेंगे?"),
("en", "plain word problem with trap", "A lily pad patch doubles in size every day. It takes 48 days to cover the whole lake. How long would it take to cover the lake if we started with two patches of the same size, and how long to cover a quarter of the lake with one patch?"),
("en", "philosophy of science deep", "Is the many-worlds interpretation more parsimonious than Copenhagen or less? Give me a comprehensive answer that engages with the strongest argument on each side, including the probability problem for many-worlds."),
("en", "multi-turn: planning with constraints added", [
    (U, "I need to schedule 6 interviews tomorrow, 45 min each, between 9 and 17."),
    (A, "Easy: 9:00, 9:45, 10:30, 11:15, then after lunch 13:00, 13:45. Want me to adjust?"),
    (U, "yes: interviewers Ana (free 9-12), Bo (free 11-16), Chen (free 13-17). each interview needs 2 interviewers, nobody does more than 3 back-to-back, candidates 2 and 5 can only come after 14:00, and we need a 30 min break for each interviewer. feasible? give me a schedule or show why not")]),
("en", "CS theory, plain", "Is it possible to sort n numbers using fewer than log2(n!) comparisons in the worst case? Why or why not, and does it change if the numbers are integers in a small range?"),
("es", "spanish, plain probability puzzle", "Tiro dos dados. Me dices que al menos uno es un 6. ¿Cuál es la probabilidad de que ambos sean 6? ¿Y si en cambio me dices que el dado rojo es un 6?"),
("en", "misleading 'ELI5' - actual hard derivation", "ELI5 but correct: why does the variance formula divide by n-1 instead of n? I want the real derivation after the intuitive bit."),
("en", "clinical reasoning scenario", "A 34-year-old woman presents with fatigue, weight gain, constipation and a heart rate of 52. TSH is normal but free T4 is low. What is your reasoning about the likely explanations, what would you test next, and why is a normal TSH misleading here?"),
("fr", "french, plain math", "Combien de zéros termine 1000! (factorielle de 1000) ? Et combien de chiffres a ce nombre au total, approximativement ?"),
("en", "multi-turn: system + architecture follow-up", [
    (S, "You are a principal engineer advising a startup."),
    (U, "We're a 6-person team building a B2B SaaS. Should we go microservices from day one?"),
    (A, "Usually not: a well-modularised monolith is cheaper to build and operate at your size. What's driving the question?"),
    (U, "our biggest customer wants single-tenant deployment in their own cloud account, the rest are fine with multi-tenant. and we expect 3 more like them next year. how does that change your answer, and how would you structure deployment, data isolation and upgrades?")]),
("en", "estimation, plain", "How much would it cost, roughly, to repaint every road lane marking in the UK once? Show your assumptions."),
("en", "logic, plain", "Ten prisoners in a line wear red or blue hats; each sees all hats in front of them. Starting from the back, each says one colour. What plan guarantees at least nine survive?"),
("de", "german, economics", "Warum führte die Zinserhöhung der EZB 2022–2023 nicht sofort zu sinkender Inflation, und welche Rolle spielten Energiepreise, Lohnabschlüsse und Verzögerungen der Geldpolitik?"),
("en", "plain number puzzle", "Find the smallest positive integer that leaves remainder 1 when divided by 2, 3, 4, 5 and 6, but is divisible by 7."),
("en", "misleading 'write a short' - but proof", "write a short, rigorous argument that every tree with n vertices has exactly n-1 edges"),
("en", "ethics/policy deep", "Should self-driving cars be allowed on public roads once they're safer than the median human driver, or only when they beat the best drivers? Analyze the liability, incentive and statistical implications."),
("zh", "chinese, plain puzzle", "有 12 个外观一样的球，其中一个重量不同（不知道轻还是重）。用天平称三次，怎样找出这个球并判断它是轻还是重？"),
("en", "multi-turn: probability follow-up variant", [
    (U, "how many people do you need in a room for a 50% chance two share a birthday?"),
    (A, "23 people."),
    (U, "ok, and how many do you need for a 50% chance that someone shares MY birthday? and why is it so different")]),
("en", "ecology modelling, causal chain", "If wolves were reintroduced into a valley with 2,000 elk and no predators, what would happen to elk numbers, vegetation along the rivers, and beaver populations over 20 years? Explain the causal chain in detail."),
("en", "personal finance decision with numbers", "I'm 35, have $60k in savings, a $300k mortgage at 6.8%, and my employer matches 401k up to 5%. Compare paying the mortgage down faster with investing more. Take taxes, risk and liquidity into account and give me numbers."),
("ar", "arabic, logic puzzle", "ثلاثة أشخاص: أحدهم يقول الصدق دائماً، وآخر يكذب دائماً، والثالث يجيب عشوائياً. بسؤالين فقط بنعم أو لا، كيف تحدد من هو الصادق؟"),
("en", "calculus derivation (Gaussian integral)", "Evaluate the integral of e^(-x^2) from minus infinity to infinity, and show each step."),
("en", "misleading informal, typos, hard combinatorics", "lol ok how many diff ways can 8 rooks go on a chessboard so none attack each other AND none are on the main diagonal"),
("pt", "portuguese, system design", "Como você projetaria um sistema de pagamentos via PIX que garanta que uma transferência nunca seja debitada duas vezes, mesmo com falhas de rede e reenvios do cliente? Quais garantias de consistência são necessárias?"),
("en", "legal scenario, plain", "My neighbour's tree fell on my fence during a storm. The tree was visibly dead and I'd told them about it in writing a year ago. Who pays for the fence, and does the written warning change anything? I'm in England."),
("en", "physics puzzle, plain", "If you drop a slinky held from the top, the bottom stays still for a moment. Why, and how long does it stay still for a slinky 1 m long when stretched?"),
("en", "multi-turn: word problem with follow-ups", [
    (U, "A train leaves A at 9:00 going 80 km/h toward B, 300 km away. Another leaves B at 10:00 toward A at 100 km/h. When do they meet?"),
    (A, "By 10:00 the first train has covered 80 km, leaving 220 km. They close at 180 km/h, so 220/180 ≈ 1.22 h after 10:00, about 11:13."),
    (U, "good. now a bird starts at A at 9:00 flying 150 km/h back and forth between the two trains until they meet. how far does it fly? careful, it's not the usual version")]),
("en", "short, hard", "Why is the halting problem undecidable?"),
("en", "health policy options", "Our town of 40,000 has one hospital that's losing money. Options on the table: merge with a regional chain, convert to an outpatient clinic plus urgent care, or raise a local tax. Evaluate what each would mean for emergency outcomes, jobs and costs over 10 years."),
("it", "italian, proof", "Dimostra che la somma degli angoli interni di un poligono convesso con n lati è (n−2)·180°, e spiega dove si usa l'ipotesi di convessità."),
("en", "plain word problem with trap", "If a hen and a half lays an egg and a half in a day and a half, how many eggs do six hens lay in six days? My uncle insists it's 6."),
("en", "microeconomics derivation", "Derive the profit-maximising quantity and price for a monopolist facing demand P = 120 - 2Q with cost C = 20Q + Q^2, and compute the deadweight loss relative to the competitive outcome."),
("ru", "russian, system design", "Как бы вы спроектировали систему распределённых блокировок для 200 микросервисов? Сравните Redis Redlock, ZooKeeper и etcd с точки зрения корректности при сетевых разделениях."),
("en", "multi-turn: complex follow-up after simple start", [
    (U, "what is the half-life of carbon-14?"),
    (A, "About 5,730 years."),
    (U, "ok so if a sample has 18% of the original C-14 left, how old is it, and how much would a 2% measurement error in that 18% shift the age estimate? also why does contamination with modern carbon matter so much more for very old samples?")]),
("en", "Fermi + plain", "How many golf balls would fit in a school bus, and how confident are you within a factor of two?"),
("en", "graph theory, plain", "At a party, every pair of people are either friends or strangers. What's the smallest party size that guarantees either 3 mutual friends or 3 mutual strangers, and why can't it be smaller?"),
("ja", "japanese, medical scenario", "75歳の父が転倒後から少しずつ物忘れがひどくなり、2週間たって頭痛とふらつきも出てきました。考えられる原因と、すぐに受診すべきかどうか、医師に伝えるべき点を教えてください。"),
("en", "misleading 'explain like a tweet' - still complex", "In a tweet-length answer: why can't you build a perpetual motion machine from a magnet and a wheel? (then give the full thermodynamic argument below it)"),
("en", "plain word problem", "A tank fills through pipe A in 6 hours and pipe B in 4 hours, and drains through pipe C in 3 hours. If all three are opened when the tank is half full, when is it full or empty?"),
("en", "long (1500+ chars): pasted data, business decision", """We run a small chain of 3 coffee shops and need to decide whether to open a 4th location or renovate our existing ones. Here are the numbers from last year:

Shop A (downtown): revenue $820k, cost of goods 31%, rent $96k/yr, staff $290k, other opex $60k. Foot traffic down 8% since offices went hybrid. Lease ends in 2 years.
Shop B (university area): revenue $610k, COGS 29%, rent $54k/yr, staff $240k, other opex $45k. Extremely seasonal: July-August revenue is ~35% of a normal month. Equipment is 9 years old; we've spent $18k on repairs this year.
Shop C (suburban, drive-through): revenue $700k, COGS 33%, rent $72k/yr, staff $230k, other opex $52k. Growing 12% per year. Drive-through line backs onto the road at peak times and the city has warned us twice.

Option 1: open a new drive-through in a neighbouring suburb. Fit-out $450k, rent $80k/yr, we expect revenue of $400k in year 1 rising to $650k in year 3. We'd need a $350k loan at 8.5% over 7 years.
Option 2: renovate B (new equipment, $120k) and C (second drive-through lane, $180k, needs a permit that might take 9-14 months). Expected effect: B repairs drop to ~$3k/yr and revenue +5%; C capacity +30% at peak.
Option 3: do the renovations now and open the new shop in 2 years once A's lease decision is clear.

We have $200k cash and want to keep at least $80k as a buffer. The owners would rather not personally guarantee more than $250k of debt. Assume staff costs grow 4% per year and that a bad year would cut revenue 15% across the board.

Analyze the three options. Which would you pick and why? Please show rough cash-flow numbers for each option for the next 3 years, name the biggest risk in each, and tell me what single piece of information would most change your recommendation."""),
("en", "multi-turn: debate follow-up in ethics/economics", [
    (U, "Is a universal basic income a good idea?"),
    (A, "It depends on the design, the funding, and what it replaces. Supporters cite simplicity and security; critics cite cost and work incentives."),
    (U, "fine, be concrete: $1,000/month for every US adult, funded by a 10% VAT plus removing SNAP and the EITC. who wins, who loses, what happens to labour supply and prices? use actual numbers where you can")]),
("es", "spanish, physics", "¿Por qué los satélites en órbita baja se frenan y caen si están en el 'vacío'? Calcula aproximadamente cuánto tiempo tardaría en reentrar uno a 300 km de altura."),
("en", "statistics trap (Simpson's paradox)", "Hospital A has a higher survival rate than hospital B for both mild and severe cases, yet a lower overall survival rate. Explain how that is possible and which hospital you would choose."),
("en", "competition algebra", "Let a, b, c be positive reals with a + b + c = 3. Show that a^2 b + b^2 c + c^2 a ≤ 4 and find when equality holds."),
("ko", "korean, plain puzzle", "100층 건물에서 달걀 2개로 달걀이 깨지지 않는 가장 높은 층을 찾으려 합니다. 최악의 경우 최소 몇 번 던져야 하나요? 방법도 알려 주세요."),
("en", "security threat modelling", "We're adding 'log in with a magic link' emailed to users. Walk me through the attack surface: token lifetime, email scanners pre-fetching links, session fixation, account takeover via email change. What would a careful design look like, and what are the trade-offs between convenience and security?"),
("en", "plain, everyday but multi-step", "I earn €3,200 net per month, rent is €1,150, and I want to buy a €28,000 car. Option A: 0% financing over 48 months with a €4,000 down payment and a mandatory €45/month insurance add-on. Option B: a bank loan at 5.9% over 5 years. Option C: save for it. Which costs me least in total, and what does each do to my monthly budget?"),
("hi", "hindi, economics", "अगर भारतीय रिज़र्व बैंक ब्याज दर 1% बढ़ा दे, तो महंगाई, रुपये की विनिमय दर, शेयर बाज़ार और होम लोन लेने वालों पर क्या-क्या असर होगा? कदम-दर-कदम समझाइए।"),
("en", "multi-turn: logic puzzle, wrong attempt by user", [
    (U, "Cheryl's birthday puzzle: is it true that Albert's first statement already tells Bernard a lot?"),
    (A, "Yes. When Albert says he knows Bernard doesn't know, it tells both that the month can't be one with a uniquely identifying day."),
    (U, "i tried solving and got June 17 but the answer is supposedly July 16. walk through each statement and show where I went wrong")]),
("en", "biology mechanism", "Explain why antibiotic resistance spreads faster in hospitals than in the community, and why it doesn't disappear once we stop using a particular antibiotic."),
("en", "misleading word 'code' = building code", "Does the building code allow me to remove a load-bearing wall between my kitchen and living room if I put in a steel beam? What do I need to figure out first — beam sizing, point loads down to the foundation, permits — and in what order?"),
("fr", "french, legal", "Mon employeur en France veut m'imposer un passage au forfait jours alors que je suis technicien sans réelle autonomie. Est-ce légal, quels sont les risques pour lui, et que puis-je faire concrètement ?"),
("en", "plain probability, informal", "if I shuffle a deck, what are the odds at least one card ends up in its original spot? roughly is fine but tell me why"),
("en", "system + user, ops planning", [
    (S, "You are an operations research assistant. Give assumptions explicitly."),
    (U, "We deliver groceries with 4 vans from one depot. 60 orders per day, each with a 2-hour delivery window chosen by the customer, vans hold 20 orders, drivers work 8 hours max. Currently we assign orders to vans by postcode and it's chaos: late deliveries 18%. What routing strategy would cut lateness, and what would you change in how customers pick windows?")]),
("en", "plain, hard math short", "What is the last digit of 7^2024?"),
("de", "german, plain puzzle", "Ein Vater ist heute dreimal so alt wie sein Sohn. In 12 Jahren wird er nur noch doppelt so alt sein. Vor wie vielen Jahren war er siebenmal so alt?"),
("en", "architecture: ML serving", "How should we serve a 70B model to 500 concurrent users with p95 latency under 2s for first token? Discuss the trade-offs between batching, KV cache memory, tensor vs pipeline parallelism and quantisation, and what hardware you'd start with."),
("en", "plain, decision under uncertainty", "I can take a job that pays $120k guaranteed, or a startup offering $90k plus 0.5% equity. The startup just raised a Series A at a $40M valuation. What would the equity need to be worth for it to be the better bet, and how likely is that?"),
("en", "misleading: trivial-sounding but subtle", "what's heavier, a kilo of feathers or a kilo of steel? and if you weigh them on a bathroom scale in air, which reads higher and by how much?"),
("zh", "chinese, multi-turn legal", [
    (U, "我在上海租房，房东说要卖房，让我一个月内搬走。"),
    (A, "这种情况下要看你们租赁合同的约定以及“买卖不破租赁”的原则。合同还有多久到期？"),
    (U, "合同还有8个月，合同里写了“房东出售房屋时可提前一个月通知解约”。这个条款有效吗？我能要求什么赔偿？")]),
("en", "plain, geometry with catch", "A rope is tied tightly around the Earth's equator. You add 1 metre of length and lift it evenly all around. How high above the ground is it, and could a cat walk under it?"),
("en", "queueing theory word problem", "Our support desk gets 30 tickets an hour on average and each agent handles 8 per hour. With 4 agents, how long does a ticket wait on average? What about with 5? Explain why the difference is so big."),
("en", "multi-turn: hard follow-up to general start", [
    (U, "tell me a fun fact about honeybees"),
    (A, "Honeybees communicate the location of flowers using a 'waggle dance' whose angle encodes direction relative to the sun."),
    (U, "cool. so how do they handle the sun moving during the day, and how would you even test experimentally that the dance carries distance info rather than bees just following each other?")]),
("en", "info theory, plain", "You have 1000 bottles of wine, exactly one poisoned, and the poison kills in about 24 hours. You have 10 test strips that turn positive if any drop placed on them is poisoned, but each strip can only be read once, after 7 days. How do you find the poisoned bottle in 7 days, and what's the minimum number of strips needed?"),
("pt", "portuguese, plain math", "Um relógio atrasa 5 minutos por hora. Se foi acertado ao meio-dia, que hora real será quando ele marcar 18h?"),
("en", "history counterfactual deep", "Why did the Industrial Revolution start in Britain rather than in Qing China or the Netherlands? Compare the main competing explanations (coal, wages, institutions, culture) and evaluate the evidence for each."),
("en", "plain medical scenario", "I'm 29, run 40 km a week, and my resting heart rate dropped from 58 to 44 over six months. Last week I nearly fainted standing up quickly. Should I be worried, what could be going on, and what would a doctor likely check?"),
("ru", "russian, plain math", "Найдите все натуральные n, при которых n^4 + 4 — простое число."),
("en", "multi-turn: contract negotiation scenario", [
    (U, "I'm negotiating a SaaS contract as the buyer."),
    (A, "Happy to help. What are the key terms in play?"),
    (U, "they want 3-year term, 7% annual price increase, auto-renew with 90 days notice, liability capped at 3 months fees, and data export only in their proprietary format. we spend $240k/yr. which of these matter most for us, what's a realistic counter on each, and which would you walk away over?")]),
("en", "plain, riddle with catch", "I have a 3-minute hourglass and a 7-minute hourglass. How do I time exactly 11 minutes? And is there any whole number of minutes from 1 to 20 I can't time?"),
("en", "evolutionary biology deep", "Why do humans go through menopause when almost no other mammals do? Evaluate the grandmother hypothesis against the alternatives and say what evidence would distinguish them."),
("es", "spanish, multi-turn planning", [
    (U, "Quiero empezar a correr para hacer una maratón."),
    (A, "¡Genial! ¿Cuál es tu nivel actual y para cuándo es la carrera?"),
    (U, "Corro 15 km por semana, la maratón es en 20 semanas, tengo una lesión antigua de rodilla y solo puedo entrenar 4 días. ¿Es realista? Hazme un plan por fases explicando cómo gestionas el riesgo de lesión.")]),
("en", "CS theory: linear-time selection", "Given a list of n numbers, can you find the median in linear time without sorting? Describe the algorithm and prove that its worst case is linear."),
("en", "misleading 'tl;dr' - complex", "tl;dr version is fine: how does the Fed's balance sheet runoff actually drain reserves from banks, step by step through the accounts?"),
("it", "italian, system design", "Devo progettare il backend di un'app di prenotazione per 300 ristoranti: come evito le doppie prenotazioni dello stesso tavolo con molti utenti in contemporanea, e cosa succede se il database si partiziona?"),
("en", "physics, plain", "Why is it colder at the top of a mountain when it's closer to the sun? Give the actual mechanism with numbers for the lapse rate."),
("en", "multi-turn: estimate revision with new info", [
    (U, "how much water does a city of 1 million people use per day?"),
    (A, "Roughly 150–300 million litres per day, assuming 150–300 L per person including some commercial use."),
    (U, "we're in a desert, half the demand is landscaping, and the reservoir holds 90 days of supply. if there's a 3-year drought with 40% lower inflow, what restrictions get us through, and in what order would you bring them in?")]),
("ar", "arabic, medical", "والدي عمره 60 سنة ويعاني من ارتفاع ضغط الدم والسكري، وأصبح يشعر بضيق في التنفس عند صعود الدرج وتورم في الكاحلين. ما الأسباب المحتملة، وما الفحوصات التي يجب طلبها، ومتى تكون الحالة طارئة؟"),
("en", "plain, combinatorics", "How many 5-card poker hands contain exactly two pairs? Show how you count it so I can check."),
("en", "linguistics deep", "Why do some languages have grammatical gender and others lost it, e.g. English? Explain the historical mechanisms and whether gender actually affects how speakers think."),
("en", "plain, very short", "Monty Hall: why switch?"),
("ja", "japanese, plain puzzle", "ある池にカエルが何匹いるか推定したい。30匹捕まえて印をつけて放し、翌日40匹捕まえたら5匹に印があった。何匹と推定できますか？この方法の前提と、結果が偏る状況も教えてください。"),
("en", "multi-turn: follow-up on proof", [
    (U, "is there a largest prime?"),
    (A, "No. Euclid showed there are infinitely many primes."),
    (U, "how does his argument work, and does it also show that gaps between consecutive primes can be arbitrarily large? if not, how do you show that?")]),
("en", "tax/finance scenario", "My wife and I both freelance in Germany. She earns €70k, I earn €25k. Does it make sense for us to file jointly, and how does the Ehegattensplitting actually change our combined tax compared to filing separately? Rough numbers please."),
("en", "control theory intuition + math", "Why does adding integral action to a P controller remove steady-state error but often cause overshoot? Explain it with a first-order plant and derive the closed-loop step response."),
("en", "plain, catch riddle", "A clock's hour and minute hands overlap at 12:00. When is the next exact overlap, and how many times do they overlap in 24 hours?"),
]

# More multi-turn items (appended; split is assigned by position as usual).
ITEMS += [
("en", "multi-turn: simple start, proof follow-up", [
    (U, "is 561 prime?"),
    (A, "No, 561 = 3 × 11 × 17."),
    (U, "but I read it passes the Fermat test for every base coprime to it. prove that using Korselt's criterion, and explain why that makes the Fermat test unreliable")]),
("en", "multi-turn with system: architecture review", [
    (S, "You are a staff engineer reviewing design docs."),
    (U, "Our design: the mobile app writes orders to a local SQLite DB and syncs to the server when online. Conflicts are resolved last-write-wins by device clock."),
    (A, "Last-write-wins by device clock is risky: clocks drift and can be set manually, so newer edits can silently be lost."),
    (U, "ok, evaluate the alternatives: vector clocks, server-assigned versions, CRDTs. which fits an order system where two staff can edit the same order offline, and what are the trade-offs?")]),
("en", "multi-turn: probability follow-up, plain", [
    (U, "what are the odds of rolling a 6 on a die"),
    (A, "1 in 6, about 16.7%."),
    (U, "ok so how many rolls on average until I've seen every face at least once? and what's the chance it takes more than 20 rolls?")]),
("de", "german, multi-turn: legal scenario", [
    (U, "Mein Arbeitgeber hat mir gekündigt."),
    (A, "Das tut mir leid. Möchtest du wissen, welche Fristen und Rechte du hast?"),
    (U, "Ja. Ich bin seit 7 Jahren dort, 40 Mitarbeiter, die Kündigung kam per WhatsApp, und ich bin seit 3 Wochen krankgeschrieben. Ist die Kündigung wirksam und was sollte ich innerhalb welcher Fristen tun?")]),
("en", "multi-turn: economics follow-up with trigger words", [
    (U, "why are eggs so expensive right now"),
    (A, "Mostly because avian flu outbreaks forced farms to cull large numbers of laying hens, cutting supply while demand stayed steady."),
    (U, "analyze it properly: how much of the price spike is supply shock vs. retailer margins vs. demand, and what data would let us separate those effects?")]),
("en", "multi-turn: chess-like puzzle, plain", [
    (U, "can a knight visit every square of a chessboard exactly once?"),
    (A, "Yes, that's called a knight's tour, and many exist on an 8x8 board."),
    (U, "what about a 4x4 board? and on a 5x5, can the tour be closed (end a knight's move from the start)? show why for both")]),
("en", "multi-turn with system: medical reasoning", [
    (S, "You are a clinical reasoning tutor for medical students. Think like an attending."),
    (U, "55M, crushing chest pain for 40 min, ECG shows ST elevation in II, III, aVF. BP 85/50, clear lungs, raised JVP."),
    (A, "This is an inferior STEMI with hypotension and raised JVP, so think about right ventricular involvement."),
    (U, "right. explain why nitrates are dangerous here, what fluid strategy you'd use, and what finding would change your management")]),
("zh", "chinese, multi-turn: math", [
    (U, "一个数列：1, 1, 2, 3, 5, 8……这是什么数列？"),
    (A, "这是斐波那契数列，每一项等于前两项之和。"),
    (U, "证明相邻两项的比值趋近于黄金分割比，并说明收敛速度有多快。")]),
("en", "multi-turn: plan with new constraints, plain", [
    (U, "I want to save $20k for a house deposit"),
    (A, "Great goal. How much can you put aside each month, and by when do you need it?"),
    (U, "$900/month, I have $4k already, I want it in 18 months, and I might lose $300/month of income in 6 months when my side job ends. also prices are rising 6% a year so the deposit target grows. can I make it? if not, what combination of changes gets me there?")]),
("en", "multi-turn: compare architectures follow-up", [
    (U, "what's a message queue"),
    (A, "A message queue lets services communicate asynchronously by sending messages to a buffer that consumers read from at their own pace."),
    (U, "for an order pipeline with exactly-once billing, compare Kafka, RabbitMQ and SQS: delivery guarantees, ordering, failure modes, and how you'd actually get effectively-once behaviour in each")]),
("es", "spanish, multi-turn: logic", [
    (U, "¿Conoces el acertijo de los sombreros?"),
    (A, "Hay varias versiones. ¿Cuál tienes en mente?"),
    (U, "Tres personas con sombreros blancos o negros, cada una ve los de las otras dos. Se les dice que al menos uno es blanco. Nadie habla la primera vez, ni la segunda. ¿Qué pasa la tercera vez y por qué?")]),
("en", "multi-turn: policy, detailed follow-up", [
    (U, "what's congestion pricing"),
    (A, "It's charging drivers a fee to enter busy areas at peak times, to reduce traffic and fund transit."),
    (U, "give me a detailed assessment for a mid-size city of 800k with weak transit: expected traffic reduction, equity implications for low-income commuters, and how you'd design exemptions without gutting the effect")]),
("en", "multi-turn: riddle with catch, plain", [
    (U, "give me a hard riddle"),
    (A, "Here's one: two fathers and two sons go fishing. Each catches one fish, yet only three fish are brought home. How?"),
    (U, "easy, grandfather-father-son. now solve this one: 100 people board a plane with 100 seats; the first lost his ticket and sits randomly; everyone after takes their own seat if free, otherwise a random free one. chance the last person gets their own seat?")]),
("ru", "russian, multi-turn: physics", [
    (U, "Почему небо голубое?"),
    (A, "Из-за рэлеевского рассеяния: короткие (синие) волны рассеиваются сильнее, чем длинные."),
    (U, "Тогда почему оно не фиолетовое, если фиолетовые волны ещё короче? Разберите с учётом спектра Солнца и чувствительности глаза.")]),
]

# Long item placed at a holdout position (item 88) so holdout also has a long complex prompt.
ITEMS.insert(87, ("en", "long (1500+ chars): pasted incident timeline, root cause, plain wording", """We had an outage last night and the postmortem meeting is tomorrow. Here's the timeline from our logs and chat. I need to figure out what actually caused it, because the two teams are blaming each other.

21:58 Config change deployed to the API gateway: connection pool to the auth service raised from 50 to 200 per gateway instance (we have 12 gateway instances).
22:03 Auth service p99 latency rises from 40ms to 180ms. No alerts (threshold is 500ms).
22:10 Nightly batch job starts, as it does every night. It calls the auth service ~300 times per second to validate service tokens.
22:14 Auth service database (Postgres, max_connections = 500) starts rejecting connections: "sorry, too many clients already". Each auth pod opens up to 40 DB connections; autoscaler had scaled auth from 8 to 14 pods because of the latency rise.
22:15 Gateway starts returning 503 for ~30% of requests. Gateway retries failed auth calls up to 3 times with no backoff.
22:17 Auth autoscaler scales to 20 pods. Error rate at the gateway rises to 70%.
22:21 On-call rolls back the gateway config change. Error rate drops to 40% but does not recover.
22:29 On-call kills the nightly batch job. No visible improvement.
22:36 DBA manually terminates idle connections on the auth database and lowers the auth pod limit to 10 pods. Error rate falls to 2% within a minute.
22:40 Full recovery.

The platform team says the gateway change caused it. The auth team says the batch job did, because it runs every night and the gateway change alone was fine for 12 minutes. The DBA says it's the autoscaler.

Who's right? Give me the chain of cause and effect, say why the rollback at 22:21 didn't fix it, and tell me which two or three changes would have prevented this or made it recover on its own. I need something I can defend in front of both teams."""))
