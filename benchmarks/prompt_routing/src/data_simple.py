# Hand-written prompts for label "simple".
# Entry: (lang, note, content) where content is a str (single user turn)
# or a list of (role, text) tuples (the last role must be "user").
S, U, A = "system", "user", "assistant"

ITEMS = [
("en", "capital lookup, 3 words", "capital of Australia?"),
("en", "letter counting (border: looks like reasoning)", "how many r's in strawberry"),
("en", "http status meaning", "what does HTTP 418 mean"),
("en", "multi-turn: thanks + unrelated simple fact", [
    (U, "Can you write me a short poem about autumn leaves?"),
    (A, "Crimson and amber drift slowly down, / a quiet parade across the town..."),
    (U, "thanks! one more: what's the capital of Peru?")]),
("es", "spanish, unit conversion", "¿Cuántos centímetros hay en una pulgada?"),
("en", "misleading 'analyze' - trivial", "analyze this for me: is 91 a prime number?"),
("en", "unit conversion", "convert 72 fahrenheit to celsius"),
("en", "long polite preamble (>100 chars), simple fact", "Hi there, hope you're having a good day! My daughter and I were arguing at dinner and we couldn't settle it, so I promised her I'd ask: how many legs does a spider have?"),
("fr", "french, single word translation", "Comment dit-on « butterfly » en français ?"),
("en", "misleading 'code' = postal code", "what's the zip code for Beverly Hills, the famous one"),
("en", "trivial arithmetic", "what's 15% of 80"),
("en", "definition", "define 'ubiquitous'"),
("de", "german, date fact", "In welchem Jahr fiel die Berliner Mauer?"),
("en", "spelling", "is it spelled 'accomodate' or 'accommodate'"),
("en", "yes/no fact", "Is a tomato a fruit?"),
("en", "multi-turn with system, simple follow-up", [
    (S, "You are a friendly travel assistant."),
    (U, "I'm flying to Tokyo next month."),
    (A, "How exciting! Let me know if you want help with anything for the trip."),
    (U, "what currency do they use there?")]),
("ja", "japanese, simple fact", "富士山の高さは何メートルですか？"),
("en", "misleading 'explain' - one-line definition", "explain what a noun is"),
("en", "typos informal", "hw many ounces in a pound lol"),
("en", "acronym", "what does NASA stand for"),
("zh", "chinese, capital", "加拿大的首都是哪里？"),
("en", "misleading 'complex' - definition lookup", "what is a complex number? one sentence please"),
("en", "sports fact", "how many players on a soccer team on the field"),
("en", "longer context, simple question (>100 chars)", "I'm filling out a form for my kid's school trip and it asks for the boiling point of water in Fahrenheit for some science worksheet they attached, what is it again?"),
("pt", "portuguese, simple fact", "Quantos dias tem um ano bissexto?"),
("en", "chemical symbol", "chemical symbol for gold"),
("en", "misleading 'dress code'", "what does 'black tie' mean as a dress code"),
("en", "multi-turn: short clarification fact", [
    (U, "who wrote Pride and Prejudice?"),
    (A, "Jane Austen."),
    (U, "what year was it published")]),
("en", "time zones simple", "what time zone is Chicago in"),
("ru", "russian, arithmetic", "Сколько будет 12 умножить на 12?"),
("en", "single-word translation", "how do you say 'thank you' in Japanese"),
("en", "misleading 'prove' not present; 'step by step' trivial", "step by step please: what is 7 + 8?"),
("en", "plural spelling", "plural of cactus"),
("it", "italian, simple fact", "Chi ha dipinto la Gioconda?"),
("en", "misleading 'algorithm' word, simple definition", "who coined the word algorithm, like where does the name come from?"),
("en", "planet fact", "which planet is closest to the sun"),
("en", "multi-turn: after a long discussion, simple lookup", [
    (U, "I'm writing a report on renewable energy in Europe."),
    (A, "Sounds great. Which aspects are you covering: wind, solar, hydro, policy?"),
    (U, "mostly wind. quick check: which country has the most offshore wind capacity in europe, UK?")]),
("en", "animal fact", "are whales mammals"),
("ko", "korean, simple fact", "한국의 수도는 어디인가요?"),
("en", "misleading 'code' = country calling code", "country calling code for Japan?"),
("en", "abbreviation", "what does 'e.g.' stand for"),
("en", "long (1500+ chars) pasted email, trivial extraction question", """Can you tell me what date the meeting is on? Here's the email, sorry it's long:

Hi all,

Thanks again to everyone who joined the planning call last week. As promised, here is a recap and the logistics for our next get-together. We covered a lot of ground: the budget for the community garden project, the volunteer schedule for the spring cleanup, and the proposal from the parents' association to add a small library box near the playground. There was broad agreement on the garden budget, with the caveat that we want to get a second quote for the raised beds before committing. Maria has kindly offered to reach out to the hardware store on Elm Street, and Tom will check whether the city's green grant can cover part of the soil and compost costs.

On the volunteer schedule, we still have gaps on the second and fourth Saturdays. If you can help, please add your name to the shared sign-up sheet (the link is in the previous email). We'd especially appreciate anyone who can bring a truck or a large car for hauling mulch. Gloves and tools will be provided, but please bring your own water bottle.

Regarding the library box, the association has a volunteer carpenter who can build it, and they asked whether we could contribute paint and a weatherproof finish. Most people were in favour. We'll vote formally at the next meeting.

The next meeting will be held on Thursday, April 18, at 7:00 pm in the back room of the public library on Oak Avenue. Coffee and snacks will be provided by the bakery on the corner, courtesy of their owner, who is a long-time supporter of our group. Please let me know by Monday if you can't make it, so we can plan seating and snacks.

Finally, a reminder that the annual membership fee is due at the end of the month. It's still just ten dollars, and it helps cover insurance for our events. You can pay in cash at the meeting or by bank transfer.

Looking forward to seeing you all there!

Best,
Janet (community group secretary)"""),
("en", "dates", "how many days in February 2024"),
("hi", "hindi, simple fact", "भारत का राष्ट्रीय पक्षी कौन सा है?"),
("en", "misleading 'detailed' - trivial", "give me a detailed answer: what color do you get mixing blue and yellow?"),
("en", "author lookup", "who wrote 1984"),
("en", "multi-turn: code conversation then simple unrelated fact", [
    (U, "how do I print hello world in C"),
    (A, "#include <stdio.h>\nint main(void) { printf(\"hello world\\n\"); return 0; }"),
    (U, "cool thx. unrelated, how many continents are there?")]),
("en", "synonym", "another word for happy"),
("ar", "arabic, simple fact", "ما هي عاصمة المغرب؟"),
("en", "informal typo", "wats the tallest mountain in the world"),
("en", "currency", "what's the currency of Switzerland"),
("es", "spanish, single word translation", "¿Cómo se dice 'cuchara' en inglés?"),
("en", "misleading 'strategy' word - trivial", "what does the word 'strategy' mean"),
("en", "unit conversion km/miles", "10 km in miles"),
("en", "system + user, simple fact", [
    (S, "You are a concise assistant. Answer in one sentence."),
    (U, "When did World War II end?")]),
("fr", "french, simple arithmetic", "Combien font 9 fois 7 ?"),
("en", "science fact", "what is the speed of light in km/s roughly"),
("en", "yes/no", "can penguins fly"),
("en", "long preamble (>100 chars)", "Okay so this is going to sound silly but I've been doing the crossword all morning and I'm stuck on one clue, it's just asking for the largest ocean on Earth, seven letters. What is it?"),
("de", "german, single word translation", "Was heißt 'Eichhörnchen' auf Englisch?"),
("en", "misleading 'compare' - trivial", "compare 0.5 and 0.45 — which is bigger?"),
("en", "element count", "how many elements on the periodic table"),
("zh", "chinese, multi-turn simple", [
    (U, "你好！"),
    (A, "你好！有什么可以帮你的吗？"),
    (U, "一公斤等于多少磅？")]),
("en", "tech acronym", "what does CPU stand for"),
("en", "geography", "longest river in Africa"),
("en", "misleading 'legal' - simple fact", "what is the legal drinking age in Germany for beer"),
("pt", "portuguese, translation of phrase", "Como se diz 'bom dia' em inglês?"),
("en", "date fact", "when is Bastille Day"),
("en", "multi-turn: follow-up simple fact", [
    (U, "what's the largest planet?"),
    (A, "Jupiter."),
    (U, "and the smallest?")]),
("en", "arithmetic", "sqrt of 144"),
("ja", "japanese, single word translation", "「ありがとう」は英語で何と言いますか？"),
("en", "definition, typo", "whats a haiku? one line answer"),
("en", "misleading 'in-depth' - trivial", "in-depth question: how many hours are in a week?"),
("en", "file extension fact (border: tech but simple)", "what program opens a .docx file"),
("ru", "russian, simple fact", "Сколько планет в Солнечной системе?"),
("en", "fun fact yes/no", "is the great wall of china visible from space with the naked eye"),
("en", "long preamble >100 chars, simple", "My grandfather, who is 90 and sharp as a tack, asked me this at lunch today and neither of us could remember: who was the first person to walk on the moon? Thanks so much."),
("it", "italian, unit conversion", "Quanti grammi ci sono in un'oncia?"),
("en", "multi-turn: simple question after general chat", [
    (U, "i had such a long day at work"),
    (A, "Sorry to hear that. Want to talk about it, or would you rather take your mind off things?"),
    (U, "nah just tell me, what's the freezing point of water in kelvin")]),
("en", "programming-adjacent simple fact (border)", "what year was python first released"),
("en", "misleading 'code' - area code", "what area code is 212"),
("en", "tiny arithmetic", "2+2"),
("ko", "korean, unit conversion", "1마일은 몇 킬로미터인가요?"),
("en", "antonym", "opposite of 'generous'"),
("en", "famous quote attribution", "who said 'I think, therefore I am'"),
("es", "spanish, multi-turn", [
    (S, "Eres un asistente útil."),
    (U, "Estoy estudiando para un examen de geografía."),
    (A, "¡Mucha suerte! ¿En qué te puedo ayudar?"),
    (U, "¿Cuál es el río más largo de Europa?")]),
("en", "misleading 'evaluate' - trivial arithmetic", "evaluate 3 * (4 + 2)"),
("en", "holiday fact", "what day is christmas in 2025, like which weekday"),
("en", "measurement", "how many ml in a tablespoon"),
("hi", "hindi, arithmetic", "100 का 20 प्रतिशत कितना होता है?"),
("en", "typos", "who invnted the telephon"),
("en", "multi-turn, long assistant turn before simple question", [
    (U, "Tell me a bit about the Roman Empire."),
    (A, "The Roman Empire was the post-Republican period of ancient Rome. It began when Augustus became the first emperor in 27 BC and, in the West, lasted until 476 AD. At its height under Trajan it stretched from Britain to Mesopotamia, and it left a lasting legacy in law, language, architecture, engineering and government. The Eastern half, later called the Byzantine Empire, survived until 1453."),
    (U, "ok and what language did they speak")]),
("fr", "french, definition", "Que veut dire le mot « éphémère » ?"),
("en", "sports", "how often are the summer olympics held"),
("en", "misleading 'architecture' - simple fact", "who designed the Sydney Opera House architecture"),
("en", "body fact", "how many bones in the adult human body"),
("de", "german, multi-turn", [
    (U, "Ich plane eine Reise nach Österreich."),
    (A, "Schön! Wohin genau soll es gehen?"),
    (U, "Nach Wien. Welche Sprache spricht man dort eigentlich?")]),
("en", "unit conversion, informal", "6 feet in cm?"),
("en", "word meaning", "what does 'per se' mean"),
("en", "misleading 'reasoning' - trivial yes/no", "quick reasoning check: is 1000 greater than 999?"),
("pt", "portuguese, multi-turn", [
    (U, "Oi! Tudo bem?"),
    (A, "Tudo ótimo! Como posso ajudar?"),
    (U, "Qual é a capital da Argentina?")]),
("en", "science", "what gas do plants absorb from the air"),
("en", "roman numeral", "what is XIV in numbers"),
("en", "pleasant long-ish request >100 chars", "Sorry to bother you with something so small, I'm writing a birthday card for my aunt and I just want to double check: is it 'happy belated birthday' or 'belated happy birthday' that's more common?"),
("zh", "chinese, simple fact", "熊猫主要吃什么？"),
("en", "misleading 'comprehensive' - trivial", "comprehensive list please: what are the primary colors?"),
("en", "music fact", "how many keys on a standard piano"),
("en", "multi-turn: simple yes/no follow-up", [
    (U, "I'm baking bread tomorrow."),
    (A, "Nice! Do you need a recipe or tips?"),
    (U, "no just wondering, is baking soda the same thing as baking powder?")]),
("en", "time fact", "how many seconds in an hour"),
("ar", "arabic, translation of word", "كيف أقول 'كتاب' بالإنجليزية؟"),
("en", "language fact", "what language is spoken in Brazil"),
("en", "misleading 'implications' word - trivial definition", "what does 'implications' mean? need a quick synonym"),
("it", "italian, multi-turn", [
    (U, "Sto facendo un cruciverba."),
    (A, "Divertente! Serve aiuto con una definizione?"),
    (U, "Sì: il pianeta rosso, cinque lettere.")]),
("en", "currency symbol", "what's the symbol for the euro"),
("en", "yes/no trivia", "is Kilimanjaro in Kenya or Tanzania"),
("en", "tech term simple (border)", "what does URL stand for"),
("ja", "japanese, multi-turn", [
    (U, "こんにちは"),
    (A, "こんにちは！何かお手伝いできますか？"),
    (U, "日本で一番長い川は何ですか？")]),
("en", "very short", "boiling point nitrogen"),
("en", "misleading 'trade-off' phrase - definition", "what's the literal meaning of the word trade-off, one line"),
("en", "long (1500+ chars) multi-turn ending in a simple fact question", [
    (U, "Can you give me an overview of how the human heart works?"),
    (A, "Sure. The heart is a muscular pump roughly the size of a fist, located slightly left of the centre of the chest. It has four chambers: two upper chambers called atria and two lower chambers called ventricles. Deoxygenated blood returning from the body enters the right atrium through the superior and inferior venae cavae. It passes through the tricuspid valve into the right ventricle, which pumps it through the pulmonary valve into the pulmonary arteries and on to the lungs. In the lungs, the blood releases carbon dioxide and picks up oxygen. Oxygen-rich blood returns through the pulmonary veins into the left atrium, flows through the mitral valve into the left ventricle, and is then pumped through the aortic valve into the aorta, which distributes it to the rest of the body.\n\nThe heartbeat is coordinated by an electrical conduction system. The sinoatrial (SA) node in the right atrium acts as the natural pacemaker, firing impulses that cause the atria to contract. The signal then reaches the atrioventricular (AV) node, which delays it briefly so that the ventricles can fill, before passing it down the bundle of His and the Purkinje fibres, which make the ventricles contract from the bottom up, squeezing blood outwards efficiently.\n\nThe heart itself is supplied with blood by the coronary arteries, which branch off the aorta just above the aortic valve. Blockages in these arteries can cause angina or a heart attack. Heart rate is modulated by the autonomic nervous system: sympathetic stimulation speeds it up and strengthens contraction, while parasympathetic stimulation via the vagus nerve slows it down. A typical resting heart rate in adults ranges from about 60 to 100 beats per minute, and each beat ejects around 70 millilitres of blood from each ventricle."),
    (U, "thanks. so which chamber pumps blood to the lungs again?")]),
("en", "simple fact, informal", "how old is the earth approx"),
("es", "spanish, typos", "cuanto es 25 por 4"),
("en", "misleading 'prove' (asks for fact, not proof)", "is it proven that the earth is round? yes or no"),
("en", "trivia", "what's the smallest country in the world"),
("fr", "french, multi-turn", [
    (U, "Merci pour ton aide tout à l'heure sur ma lettre !"),
    (A, "Avec plaisir ! Autre chose ?"),
    (U, "Oui, vite fait : combien de minutes dans une journée ?")]),
("en", "chemistry fact", "what is the chemical formula for table salt"),
("en", "literature", "who is the author of Don Quixote"),
("ru", "russian, multi-turn", [
    (U, "Привет!"),
    (A, "Привет! Чем могу помочь?"),
    (U, "Сколько сантиметров в метре?")]),
("en", "misleading 'design' - who designed flag", "who designed the current canadian flag"),
("en", "days until", "how many weeks in a year"),
("en", "short word meaning", "meaning of 'lol'"),
("ko", "korean, multi-turn", [
    (U, "안녕하세요"),
    (A, "안녕하세요! 무엇을 도와드릴까요?"),
    (U, "한글을 만든 왕은 누구인가요?")]),
("en", "multi-turn: user changes topic to trivia after coding help", [
    (S, "You are a helpful assistant."),
    (U, "what's the python command to install packages"),
    (A, "pip install <package>"),
    (U, "ok unrelated: who painted Starry Night")]),
("en", "percentage", "what is 1/8 as a percent"),
("de", "german, acronym", "Wofür steht die Abkürzung 'EU'?"),
("en", "misleading 'simple' word (truly simple)", "simple question, what's the largest mammal"),
("en", "everyday fact with context", "I'm at the store and can't remember, is Celsius or Fahrenheit used in the UK weather forecasts usually?"),
("hi", "hindi, capital", "जापान की राजधानी क्या है?"),
("en", "multi-turn: simple follow-up after recommendation", [
    (U, "recommend me a classic sci-fi novel"),
    (A, "Try 'Dune' by Frank Herbert: a sweeping story of politics, ecology and prophecy on a desert planet."),
    (U, "how many pages is it roughly")]),
("en", "math constant", "first 5 digits of pi"),
("en", "yes/no spelling", "is 'irregardless' a real word"),
("zh", "chinese, translation of word", "“苹果”用英语怎么说？"),
("en", "misleading: long technical-sounding preamble, trivial question", "I'm preparing a comprehensive analysis deck for a board meeting about our distributed systems architecture and the implications for scaling, but before that I just need one thing confirmed: how many bytes are in a kilobyte, 1000 or 1024?"),
("en", "geography", "which US state is the biggest"),
("en", "word count question", "how many letters in the english alphabet"),
("pt", "portuguese, definition", "O que significa a palavra 'saudade' em inglês, numa frase?"),
("en", "very long (1500+ chars) preamble, trivial question at end", """Okay, bear with me, long story. My book club has been meeting every second Tuesday for about six years now, and we have this tradition where whoever hosts picks a theme for the snacks based on the book. Last month we read a novel set in Provence, so the host made lavender shortbread and a ratatouille that, honestly, was better than anything I've had in a restaurant. This month it's my turn, and the book is a mystery set on a ship crossing the Atlantic in the 1920s. I was planning to do little finger sandwiches, a lemon drizzle cake, and maybe a punch bowl because that feels very ocean-liner to me. One of our members is gluten-free, so I'll make a separate batch of something, probably meringues, which are naturally gluten-free as long as you are careful about the flavourings. Another member always brings her dog, a very old and very polite basset hound, so I've also bought some dog biscuits, because he deserves a theme too, even if his theme is just 'biscuits'.

Anyway, the discussion questions are usually handled by our unofficial leader, a retired history teacher, who loves to bring in background facts about the setting. She asked each of us to bring one fun fact about transatlantic travel, and I thought I'd bring something about the Titanic even though it's not the ship in the book, because everyone knows it and it would get the conversation going. I was going to say something about how long the voyage was supposed to take, or how many lifeboats there were, but I realised I should start with the basics and make sure I have it right, otherwise our history teacher will politely correct me in front of everybody, which has happened before, twice.

So, my actual question: in what year did the Titanic sink?"""),
("en", "misleading 'algorithm' + trivial", "no need for any algorithm here, just tell me: is 17 odd or even?"),
("en", "informal", "who's the lead singer of queen"),
("it", "italian, simple fact", "Quanti sono i giorni di una settimana lavorativa in Italia di solito?"),
("en", "short", "define photosynthesis briefly"),
("en", "multi-turn: yes/no after general chat", [
    (U, "i'm thinking of getting a cat"),
    (A, "Cats make wonderful companions! Have you had pets before?"),
    (U, "no. quick q: do cats see in color?")]),
("en", "simple fact", "roughly what temperature does water boil at on top of Everest"),
("ja", "japanese, simple fact", "日本で一番大きな湖は何ですか？"),
("en", "misleading 'explain' + trivial yes/no", "can you explain if Pluto is still a planet? yes or no is fine"),
("ar", "arabic, multi-turn", [
    (U, "مرحبا"),
    (A, "مرحباً! كيف يمكنني مساعدتك؟"),
    (U, "ما هي أكبر صحراء حارة في العالم؟")]),
("en", "simple fact with typo", "whos the presedent of france rn"),
("en", "short arithmetic word form", "half of 250?"),
]

# More multi-turn items (appended; split is assigned by position as usual).
ITEMS += [
("en", "multi-turn: simple follow-up after general writing", [
    (U, "write a two-line poem about coffee"),
    (A, "Dark and warm, the morning's friend, / a bitter start to a sweeter end."),
    (U, "haha nice. where did coffee originally come from, which country?")]),
("en", "multi-turn: spelling check", [
    (U, "I'm writing an email to my teacher"),
    (A, "Sure, I can help. What do you need?"),
    (U, "is it 'definitely' or 'definately'")]),
("en", "system + user, unit conversion", [
    (S, "You are a kitchen assistant. Answer briefly."),
    (U, "how many grams is one cup of flour?")]),
("fr", "french, multi-turn: simple date", [
    (U, "Je prépare un quiz pour mes élèves."),
    (A, "Super idée ! Sur quel thème ?"),
    (U, "L'histoire. En quelle année a eu lieu la Révolution française ?")]),
("en", "multi-turn: follow-up arithmetic", [
    (U, "what's 12 times 15"),
    (A, "180."),
    (U, "and divided by 4?")]),
("en", "multi-turn: simple acronym after chat about work", [
    (U, "my boss keeps writing EOD in emails"),
    (A, "That's a common one in office emails."),
    (U, "right but what does it stand for")]),
("en", "multi-turn: misleading 'analyze' follow-up, trivial", [
    (U, "I'm reading a recipe that says 350 degrees"),
    (A, "That's a very common oven temperature for baking."),
    (U, "can you analyze that for me, is that fahrenheit? what is it in celsius")]),
("de", "german, multi-turn: single word translation", [
    (U, "Ich schreibe einer Freundin in Spanien."),
    (A, "Wie schön! Brauchst du Hilfe mit dem Spanisch?"),
    (U, "Ja, wie sagt man 'Geburtstag' auf Spanisch?")]),
("en", "multi-turn: yes/no fact after long answer", [
    (U, "what is the Great Barrier Reef"),
    (A, "The Great Barrier Reef is the world's largest coral reef system, stretching over 2,300 km off the coast of Queensland, Australia. It is made up of thousands of individual reefs and hundreds of islands, and it is home to an enormous diversity of marine life."),
    (U, "is it visible from space")]),
("en", "multi-turn with system, 'code' = postal code", [
    (S, "You are a helpful assistant for a shipping company."),
    (U, "I need to send a parcel to Paris."),
    (A, "Happy to help. Do you have the full address?"),
    (U, "yes, is 75001 a valid Paris postal code?")]),
]

ITEMS += [
("es", "spanish, multi-turn: simple fact after small talk", [
    (U, "¡Hola! Estoy aprendiendo sobre el espacio con mi hijo."),
    (A, "¡Qué bonito plan! ¿Qué queréis saber?"),
    (U, "¿Cuántas lunas tiene Marte?")]),
("en", "multi-turn: simple follow-up after complex-ish discussion", [
    (U, "why did the Roman Republic collapse?"),
    (A, "Historians point to several factors: growing inequality, the rise of private armies loyal to generals, political violence, and the failure of institutions designed for a city-state to govern an empire."),
    (U, "ok and who was the first emperor")]),
("en", "multi-turn: 'explain' used for a one-liner definition", [
    (U, "i keep seeing 'FOMO' in my group chat"),
    (A, "It's a pretty common bit of internet slang."),
    (U, "explain it to me, what does it stand for")]),
]

ITEMS += [
("en", "multi-turn: capital after trip chat", [
    (U, "my cousin just moved to New Zealand"),
    (A, "That sounds like a big adventure! Whereabouts is she living?"),
    (U, "not sure yet lol. is Auckland the capital?")]),
("hi", "hindi, multi-turn: simple conversion", [
    (U, "नमस्ते!"),
    (A, "नमस्ते! मैं आपकी क्या मदद कर सकता हूँ?"),
    (U, "एक किलोमीटर में कितने मीटर होते हैं?")]),
("en", "multi-turn: simple after poem, 'complex' decoy", [
    (U, "what's a complex sentence in grammar"),
    (A, "A sentence with one independent clause and at least one dependent clause, e.g. 'I stayed home because it rained.'"),
    (U, "got it. and is 'because' a conjunction?")]),
("en", "multi-turn: yes/no about a word", [
    (U, "I'm playing scrabble with my grandma"),
    (A, "Fun! Need help with a word?"),
    (U, "is 'qi' an allowed word?")]),
]
