# Hand-written prompts for label "general".
# Entry: (lang, note, content) where content is a str (single user turn)
# or a list of (role, text) tuples (the last role must be "user").
S, U, A = "system", "user", "assistant"

ITEMS = [
("en", "creative, misleading programming topic", "write a haiku about recursion"),
("en", "email writing", "Write a polite email to my landlord asking if the broken heater can be fixed this week. I've already mentioned it twice."),
("en", "brainstorm list", "give me 10 name ideas for a cozy bookshop café"),
("en", "multi-turn: rewrite follow-up", [
    (U, "Write a short LinkedIn post announcing I've joined Acme as a product designer."),
    (A, "Excited to share that I've joined Acme as a Product Designer! Looking forward to building thoughtful, human-centred products with an amazing team."),
    (U, "make it a bit less generic and add a line thanking my old team at Globex")]),
("es", "spanish, creative", "Escríbeme un poema corto sobre el mar en invierno, con tono melancólico."),
("en", "everyday advice", "how do I get my toddler to eat vegetables without a fight every night"),
("en", "misleading 'dress code'", "the invite says the dress code is 'smart casual' — what should a guy wear to a spring wedding with that?"),
("en", "recommendation", "recommend 5 podcasts for someone who loves history but hates dry lectures"),
("fr", "french, email", "Peux-tu m'aider à rédiger un message pour décliner poliment une invitation à un mariage, sans donner trop de détails ?"),
("en", "casual conversation, 3 words", "I'm bored. Entertain me"),
("en", "long (1500+ chars) summarise a pasted article", """Can you summarise this article in 4-5 bullet points for a newsletter?

City councils across the region are rethinking how they use their main streets after three years of pandemic-era experiments. In 2020, dozens of towns closed lanes to cars so that restaurants could set up outdoor seating and pedestrians could keep their distance. Many of those measures were meant to be temporary, but a surprising number have stuck. A survey published last month by the regional planning association found that 62 percent of the towns that tried car-free or car-light streets have kept at least part of the scheme, and a further 15 percent are considering bringing it back in some form.

Shop owners were initially the most sceptical group. Many feared that fewer parking spaces would drive customers to out-of-town malls. The data so far suggest a more mixed picture. In Millbrook, where the high street has been closed to through traffic on weekends since 2021, footfall on Saturdays is up 18 percent compared with 2019, but weekday sales at hardware and furniture stores have dipped, which owners attribute to customers being unable to load bulky items. The council has responded by adding short-stay loading bays at both ends of the street and introducing a free cargo-bike delivery service for purchases over a certain size.

Residents' opinions also vary. Families with young children and older people who walk to the shops tend to be positive, citing lower noise and safer crossings. Some residents on neighbouring streets, however, complain that traffic has simply been displaced onto their roads. Traffic counts in two towns support that concern, showing a 10 to 20 percent increase on parallel routes during the first year, though the numbers declined somewhat afterwards as people changed their habits.

Funding has been another sticking point. Temporary barriers and planters were cheap, but permanent redesigns with new paving, drainage and lighting can cost millions. Several councils are applying for national active-travel grants, which require evidence of community support and measurable changes in how people travel. Critics argue that the consultations are often dominated by a small number of vocal participants and do not reflect the views of commuters who drive in from surrounding villages.

Planners say the lesson from the past three years is that flexibility matters. Streets that can switch between modes, for example car-free on weekends and evenings but open for deliveries in the morning, seem to generate less conflict than all-or-nothing closures. As one planner put it, 'The street is not a road or a plaza. It's a space that has to work for different people at different times of day.'"""),
("de", "german, advice", "Ich ziehe nächsten Monat in eine WG mit drei Leuten, die ich kaum kenne. Hast du Tipps, wie man von Anfang an gut miteinander auskommt?"),
("en", "opinion question", "what's your take: are e-readers better than paper books for someone who reads before bed?"),
("en", "role-play", "Pretend you're a grumpy medieval innkeeper and I'm a traveler asking for a room. Stay in character."),
("en", "slogan", "slogan for a dog-walking business in Brooklyn, something punny"),
("en", "multi-turn: casual chat continues", [
    (U, "I just finished watching the whole of The Office for the third time"),
    (A, "Ha, a true fan! Who's your favourite character?"),
    (U, "dwight obviously. what should i binge next if i want something with the same vibe?")]),
("zh", "chinese, creative", "帮我写一段生日祝福，送给我最好的朋友，语气轻松幽默，大概一百字。"),
("en", "misleading 'analyze' - everyday", "analyze my dream lol: I was late for an exam in a school I never went to and my teeth were falling out"),
("en", "rewrite paragraph formal", "Rewrite this to sound more professional: 'hey guys, so the meeting got pushed cuz the client is running late, we'll do it at 3 instead, sorry!!'"),
("en", "everyday explanation, moderate depth", "how does a mortgage actually work? like what am I paying each month"),
("ja", "japanese, advice", "新しい職場で緊張してなかなか同僚と話せません。自然に会話を始めるコツを教えてください。"),
("en", "story writing", "Write a 200-word bedtime story about a hedgehog who is afraid of the dark."),
("en", "typos informal advice", "my plants keep dying even tho i water them evry day, wat am i doing wrong"),
("en", "multi-turn with system: role-play", [
    (S, "You are Chef Luigi, a warm and funny Italian chef who gives cooking advice."),
    (U, "Luigi! I have eggs, spinach, some old bread and parmesan. Dinner idea?"),
    (A, "Ah, bellissimo! You are three steps from a beautiful strata, my friend."),
    (U, "haha ok, but I only have 20 minutes. what else could I make?")]),
("pt", "portuguese, recommendation", "Quais lugares você recomenda visitar em Lisboa num fim de semana, fugindo um pouco dos roteiros mais turísticos?"),
("en", "misleading 'complex' - feelings", "my feelings about my best friend moving abroad are really complicated. can you help me write her a goodbye card?"),
("en", "cover letter", "Help me write a short cover letter for a part-time barista job. I have no coffee experience but I've worked retail for two years."),
("en", "brainstorm", "Brainstorm fun team-building activities for 12 remote coworkers that don't feel cringe."),
("ru", "russian, creative", "Напиши короткое стихотворение о первом снеге для открытки бабушке."),
("en", "everyday explanation", "why do cats knead blankets?"),
("en", "multi-turn: editing follow-up", [
    (U, "Give me a short toast for my sister's 30th birthday."),
    (A, "To my sister: thirty years of laughter, bad dance moves and the best advice I never took. Here's to the next thirty!"),
    (U, "love it. can you make a version that's a bit more emotional, she's had a rough year")]),
("en", "misleading 'algorithm' - creative", "write a funny poem about the instagram algorithm hating my posts"),
("en", "translate a paragraph (general)", "Translate this into Spanish for my Airbnb guests: 'Welcome! The Wi-Fi password is on the fridge. Please take your shoes off inside and leave the keys on the kitchen table when you check out. Enjoy your stay!'"),
("it", "italian, casual", "Che film leggero mi consigli per stasera? Ho avuto una settimana pesante e voglio solo ridere."),
("en", "opinion", "Is it rude to recline your seat on a plane?"),
("en", "gift ideas", "gift ideas for a dad who says he doesn't want anything, budget around $50"),
("ko", "korean, email", "회사 팀장님께 다음 주 금요일 연차를 쓰고 싶다고 정중하게 요청하는 메시지를 써 주세요."),
("en", "multi-turn: casual to recommendation", [
    (U, "hey"),
    (A, "Hey! What's up?"),
    (U, "nothing much, looking for a new hobby that i can do at home in the evenings. ideas?")]),
("en", "long (1500+ chars): rewrite a draft letter", """Can you rewrite my letter so it's clearer and kinder but still firm? It's to the parents in my daughter's class about the birthday party situation.

Dear parents,

So I'm writing this because there has been some stuff going on with the birthday parties in class 3B and I think we need to talk about it because it's getting out of hand honestly. As you all probably know, some kids are being invited to parties and some are not and the invitations are being handed out in the classroom during break which means the kids who are not invited see everything and feel left out and then they come home upset. My daughter came home crying last Tuesday because 20 out of 24 kids got an invitation and she didn't and neither did three other kids, and I know for a fact that at least one other parent has had the same thing happen. I'm not saying anyone has to invite everyone, that's obviously your choice and your budget and your house, but could we please at least not hand out the invitations in class? It's really not fair on the kids who get left out and the teacher has said she can't really control it because it happens during break.

Another thing is the presents. Some of the parties have had really expensive gift expectations, like one party said in the invitation that they'd prefer gift cards of at least 25 euros, and not everyone can afford that, especially with several parties a month. Maybe we could agree on something like a 10 euro limit or a group present where everyone chips in what they can? I know that might sound controlling but I think a lot of parents would actually be relieved.

Also I wanted to say that I'm happy to help organise something like a class calendar for birthdays so we don't have three parties on the same weekend, which has happened twice now. If anyone wants to help with that let me know.

I really don't want this to come across as an attack on anyone. I just think we can all do a bit better for the kids and I'd rather say something than stay quiet and be annoyed about it.

Thanks for reading this long message,
Sofia (Lena's mum)"""),
("en", "everyday explanation", "what's the difference between a Roth IRA and a traditional IRA, in plain terms"),
("en", "misleading 'prove' - creative", "help me write a best man speech that proves my brother is the most chaotic but loyal person alive. 2 minutes long"),
("hi", "hindi, advice", "मुझे सुबह जल्दी उठने में बहुत परेशानी होती है। कुछ आसान आदतें बताइए जिनसे मैं रोज़ 6 बजे उठ सकूँ।"),
("en", "recipe request", "easy weeknight pasta recipe with what most people have in the pantry"),
("en", "multi-turn: general after simple", [
    (U, "what's the capital of Portugal?"),
    (A, "Lisbon."),
    (U, "nice, I'm going there in May with my partner. plan us a relaxed 3-day itinerary with good food")]),
("en", "song lyrics original", "write a short chorus for a country song about losing your keys"),
("es", "spanish, advice", "Tengo una entrevista de trabajo mañana y estoy muy nervioso. ¿Qué puedo hacer esta noche para prepararme y dormir bien?"),
("en", "misleading 'code' - zip code in a story", "Write a short mystery story where the only clue is a zip code scribbled on a napkin."),
("en", "summarise paragraph", "summarize this in one sentence: 'The meeting covered quarterly results, which were slightly below expectations due to supply delays, but the team expects a recovery next quarter as new suppliers come online. Hiring will be paused until then.'"),
("en", "casual question", "what's a good comeback when someone says 'you look tired'"),
("fr", "french, multi-turn", [
    (U, "Je cherche des idées de sortie pour un premier rendez-vous à Lyon."),
    (A, "Avec plaisir ! Plutôt ambiance calme, culturelle ou activité ?"),
    (U, "Plutôt calme, mais pas juste un café. Et pas trop cher.")]),
("en", "everyday explanation", "how do noise cancelling headphones work, roughly?"),
("en", "text message", "help me text my friend that I can't make it to her party tonight without sounding flaky"),
("de", "german, creative", "Schreib einen kurzen, lustigen Reim für die Einladung zu unserer Gartenparty am Samstag."),
("en", "brainstorm, misleading 'strategy'", "strategy for keeping my apartment tidy when I work 50 hour weeks? something realistic"),
("en", "multi-turn: role-play continues", [
    (S, "You are playing a friendly alien who just landed on Earth and is curious about human customs."),
    (U, "Welcome to Earth! This is a birthday party."),
    (A, "Fascinating! Why do the humans set the small cake on fire and then blow it out?"),
    (U, "haha it's tradition. ask me about another human thing you've seen today")]),
("en", "opinion / recommendation", "Kindle or Kobo for someone who borrows a lot of library ebooks?"),
("zh", "chinese, advice", "我下个月要去东京旅游五天，第一次去日本，有什么需要提前准备的吗？"),
("en", "writing feedback", "Here's my opening line for a short story, is it any good? 'The day the river stopped, nobody in town said a word.'"),
("en", "misleading 'explain' - everyday moderate depth", "explain why bread goes stale, not too technical"),
("en", "product description", "Write an Etsy product description for handmade ceramic mugs with a speckled glaze, about 80 words."),
("en", "very short casual", "tell me a joke"),
("pt", "portuguese, creative multi-turn", [
    (U, "Escreve um verso sobre saudade."),
    (A, "Saudade é a casa que a gente carrega / mesmo depois de fechar a porta."),
    (U, "Lindo! Continua com mais duas estrofes no mesmo tom.")]),
("en", "everyday advice", "how to politely tell my coworker that his music is too loud"),
("en", "rewrite tone", "make this sound friendlier: 'Per my last email, the report is due Friday. Please confirm.'"),
("ar", "arabic, creative", "اكتب لي رسالة تهنئة قصيرة بمناسبة عيد الفطر أرسلها لزملائي في العمل."),
("en", "system + user, support persona", [
    (S, "You are a friendly support agent for a home-fitness app. Keep answers short."),
    (U, "I keep skipping workouts. any tips to stay motivated?")]),
("en", "brainstorm names", "names for a golden retriever puppy, kind of old-fashioned human names"),
("en", "misleading 'detailed' - but everyday", "detailed packing list for a weekend camping trip with two kids"),
("en", "casual opinion", "is pineapple on pizza actually good or is it a meme"),
("it", "italian, email", "Scrivi una mail per chiedere al mio vicino se può innaffiare le piante mentre sono via per una settimana."),
("en", "long-ish story request with constraints", "Write a short story (around 400 words) set in a lighthouse, told from the point of view of the lighthouse itself, with a twist at the end that isn't too dark. My niece is 12."),
("en", "multi-turn: summarise earlier content", [
    (U, "I'm going to paste notes from my book club, can you tidy them up?"),
    (A, "Sure, go ahead and paste them."),
    (U, "we talked abt the ending, some ppl hated it (mark, jo), others thought it was brave. lots of talk about the mom character being unlikeable but realistic. next book: Piranesi, meeting 12th at jo's, bring snacks")]),
("en", "everyday explanation", "what actually happens when you get a credit check for renting an apartment"),
("ja", "japanese, creative", "猫が主人公の短い俳句を三つ作ってください。"),
("en", "advice, typo", "how do i ask my boss for a raise wihtout it being awkward"),
("en", "misleading 'compare' - casual", "compare cats and dogs as pets for a first-timer in a small apartment, just your honest opinion"),
("en", "instagram caption", "caption for a photo of me hiking in the rain, funny but not cringe"),
("ru", "russian, advice", "Как вежливо отказать другу, который постоянно просит в долг?"),
("en", "multi-turn: general after code", [
    (U, "what does git stash do"),
    (A, "It saves your uncommitted changes on a stack and reverts your working tree to the last commit, so you can switch tasks and reapply them later with `git stash pop`."),
    (U, "thanks. also, my team lead just quit and I'm kinda stressed about who'll replace her. any tips for handling a change like that?")]),
("en", "book recommendation", "books like The Martian but less about science more about survival"),
("en", "writing: apology", "I forgot my best friend's birthday. help me write an apology message that's sincere but not over the top"),
("es", "spanish, summarise/rewrite", "Resume este párrafo en dos frases: 'La reunión de vecinos decidió pintar la fachada en primavera. El presupuesto se repartirá según los metros de cada piso. Los que no estén de acuerdo pueden presentar alegaciones hasta el 15 de marzo.'"),
("en", "everyday explanation moderate", "how does compound interest work, with a simple example"),
("en", "misleading 'architecture' - travel recommendation", "I love gothic architecture. which cities in Europe should I visit for a week-long trip?"),
("en", "role-play practice", "Can you role-play a job interviewer for a junior marketing position? Ask me one question at a time."),
("de", "german, multi-turn", [
    (U, "Ich möchte meinem Vater zum 60. etwas Besonderes schenken."),
    (A, "Schöne Idee! Was macht er gern?"),
    (U, "Er wandert gern, kocht und hört Jazz. Budget so 100 Euro.")]),
("en", "creative, limerick", "limerick about a cat who thinks it's a dog"),
("en", "advice, moderate", "what should I look for when buying a used bike?"),
("en", "rewrite: shorten", "Shorten this to under 20 words: 'We are delighted to inform you that your application has been successful and we would like to invite you to attend an orientation session next week.'"),
("ko", "korean, recommendation", "비 오는 주말에 혼자 집에서 보기 좋은 영화 몇 편 추천해 주세요."),
("en", "multi-turn: brainstorming continues", [
    (U, "ideas for a 7-year-old's birthday party at home"),
    (A, "Treasure hunt, DIY pizza station, a mini talent show, a craft table, or a backyard obstacle course."),
    (U, "love the treasure hunt. can you write 5 rhyming clues for it? the prize is hidden in the laundry basket")]),
("en", "everyday health (moderate, general advice)", "tips for sleeping better when it's really hot and I don't have AC"),
("en", "misleading 'in-depth' - everyday", "I want an in-depth but fun guide to making the perfect grilled cheese"),
("hi", "hindi, creative", "दिवाली पर अपने परिवार के लिए एक छोटी सी शुभकामना कविता लिखिए।"),
("en", "opinion", "what's the best season to visit Japan, in your opinion?"),
("en", "email: complaint", "Write a complaint email to an airline: my bag arrived 3 days late and they won't reimburse the clothes I had to buy. I want to be firm but polite."),
("en", "casual fun", "If you could have dinner with any three fictional characters, who would you pick?"),
("fr", "french, creative", "Invente une courte histoire drôle sur un croissant qui veut devenir baguette."),
("en", "multi-turn with system: writing coach", [
    (S, "You are a supportive writing coach."),
    (U, "I want to start journaling but I never know what to write."),
    (A, "That's really common. Would prompts help, or would you like a simple structure for each entry?"),
    (U, "prompts! give me a week's worth, one per day")]),
("en", "everyday explanation", "why do we get goosebumps?"),
("en", "rewrite: bullet points", "turn this into bullet points: We need to buy milk, eggs and bread, call the plumber about the kitchen sink, pick up the kids at 4 and remember that grandma arrives on Thursday evening."),
("zh", "chinese, multi-turn", [
    (U, "最近工作压力好大。"),
    (A, "听起来你最近很辛苦。是工作量太多，还是人际关系方面的压力？"),
    (U, "主要是工作量。有没有什么周末可以放松的方法？")]),
("en", "slogan / tagline", "tagline for a community garden volunteer drive"),
("en", "misleading 'simple' + 'explain' - everyday", "explain in simple terms how vaccines help your body, for a curious 10-year-old"),
("en", "advice, relationships", "my roommate never does the dishes. how do I bring it up without starting a fight"),
("it", "italian, multi-turn", [
    (U, "Voglio imparare a cucinare qualcosa di nuovo questo weekend."),
    (A, "Ottimo! Dolce o salato?"),
    (U, "Dolce, ma facile. Non ho il forno, solo i fornelli.")]),
("en", "everyday explanation", "why do my cookies spread out flat in the oven?"),
("en", "short creative", "two-sentence horror story about a smart fridge"),
("en", "misleading 'reasoning' - casual opinion", "what's the reasoning behind tipping culture in the US? just curious, don't need a thesis"),
("es", "spanish, role-play", "Haz de guía turístico en Sevilla y cuéntame, como si estuviéramos paseando, qué veo al llegar a la Plaza de España."),
("en", "formal letter", "letter to my child's school explaining she'll miss a week for a family funeral"),
("en", "multi-turn: translation follow-up", [
    (U, "translate 'good luck on your exam' into German"),
    (A, "Viel Glück bei deiner Prüfung!"),
    (U, "and can you write a short encouraging card message in German for my exchange student, like 3 sentences")]),
("en", "everyday recommendation", "what are some good cheap date ideas in winter"),
("pt", "portuguese, email", "Escreva um e-mail curto para meu chefe avisando que vou chegar uma hora atrasado amanhã por causa de uma consulta médica."),
("en", "misleading 'evaluate' - feedback on writing", "evaluate my tweet before I post it: 'Monday again?? who approved this'. is it funny?"),
("en", "everyday explanation", "how do airplanes stay in the air? keep it conversational"),
("ja", "japanese, multi-turn", [
    (U, "週末に友達を家に招いて食事会をします。"),
    (A, "楽しそうですね！何人くらい来ますか？"),
    (U, "6人です。簡単で見栄えのするメニューを考えてください。")]),
("en", "long (1500+ chars) pasted meeting notes to turn into an email", """Turn these messy notes into a clear follow-up email to the volunteers, friendly tone, with the action items at the end:

- thanks to all 14 who came saturday, park looked amazing after
- collected ~40 bags of trash, 6 bags recycling, a shopping cart (??) and two bike wheels
- Dana's idea of splitting into zones worked really well, let's keep doing that. zone leads this time were Dana, Ravi, Mei, Joe
- problem: not enough gloves in small sizes, a few kids had to wait. need ~10 small pairs
- the city said they'll pick up the bags monday morning but we should stack them by the north gate not the south one (they can't get the truck in at south)
- next cleanup is the 2nd saturday next month, 9am-12. same meeting spot (fountain)
- we want to try adding a 'plant swap' table at the end of the next one. Mei offered to coordinate. people bring cuttings/seedlings, take some home
- Joe's cousin has a food truck, might come by and give discount coffee, he's checking
- safety reminder: closed shoes, no one under 12 without an adult, don't pick up needles — flag them and a lead will use the sharps box
- someone left a blue water bottle with stickers, it's with Ravi
- budget: we have $120 left from the neighborhood grant. gloves ~$25. maybe buy 2 more grabbers ($15 each)?
- photos: Ravi took lots, will share a link, ask before posting kids' faces online
- we're thinking of a small thank-you picnic in the summer for regular volunteers, need someone to organize, no pressure
- also the local paper wants to do a short piece about us, they might email some of you for a quote. totally optional

action items:
- Mei: plant swap table
- Joe: ask cousin re coffee
- Dana: buy small gloves + grabbers
- Ravi: photo link, water bottle
- everyone: tell friends, reply if you can come next time so we know numbers
- looking for a picnic organizer volunteer"""),
("en", "casual advice", "any tips for my first time going to a music festival alone?"),
("ar", "arabic, advice", "ما هي أفضل الطرق لتعلم لغة جديدة في وقت الفراغ دون أن أشعر بالملل؟"),
("en", "misleading 'code' - dress code at work", "new job has a 'business casual' code but everyone wears hoodies. should I dress up the first week or match them?"),
("en", "brainstorm", "blog post ideas for a small bakery's website, like 10 of them"),
("en", "multi-turn: general follow-up after complex-ish start", [
    (U, "Why do people procrastinate?"),
    (A, "Often it's about managing emotions rather than time: we delay tasks that make us feel anxious, bored or unsure, because avoiding them brings short-term relief."),
    (U, "that's so me. can you give me a few practical tricks to start tasks I'm dreading?")]),
("en", "short creative", "a motivational quote for a Monday morning team chat, original please"),
("ru", "russian, multi-turn", [
    (U, "Хочу начать бегать по утрам."),
    (A, "Отличная идея! Вы раньше занимались спортом?"),
    (U, "Почти нет. Как начать, чтобы не бросить через неделю?")]),
("en", "everyday explanation", "why is the ocean salty but rivers aren't"),
("en", "typo informal chat", "ugh cant decide between getting a cat or a bunny, talk me thru it"),
("ko", "korean, creative", "친구 결혼식 축사를 짧고 따뜻하게 써 주세요. 대학교 때부터 친구였어요."),
("en", "thank-you note", "thank-you note for a neighbor who shoveled my driveway while I was sick"),
("en", "misleading 'trade-off' - everyday", "what are the trade-offs of renting vs owning a car in a city, casually speaking? I'm leaning toward car sharing"),
("en", "multi-turn: general, 6 messages", [
    (S, "You are a cheerful assistant."),
    (U, "I'm planning a picnic for Saturday."),
    (A, "Lovely! Where are you thinking of going?"),
    (U, "the park by the lake, with like 8 friends"),
    (A, "Great spot. Do you need help with food, games, or a checklist?"),
    (U, "food mostly, something everyone can share and nothing that melts")]),
("en", "everyday explanation", "what's the point of a credit score and how do I build one from nothing"),
]

# More multi-turn items (appended; split is assigned by position as usual).
ITEMS += [
("en", "multi-turn: make it funnier", [
    (U, "write an out-of-office message for my vacation next week"),
    (A, "Thank you for your email. I'm out of the office from June 3 to June 10 with limited access to email. For urgent matters, please contact Sam at sam@example.com."),
    (U, "make it funnier, my team will love it, but keep the info")]),
("en", "multi-turn: advice after simple fact", [
    (U, "how long do you boil an egg for soft boiled"),
    (A, "About 6 to 7 minutes from boiling for a runny yolk."),
    (U, "thanks. I'm hosting brunch for 8 on Sunday for the first time, any tips so I'm not stuck in the kitchen the whole time?")]),
("es", "multi-turn with English system prompt, Spanish role-play tutor", [
    (S, "You are Ms. Rivera, a friendly Spanish conversation partner. Reply in simple Spanish and correct mistakes gently."),
    (U, "Hola! Yo estoy bien. Ayer yo ir al cine con mis amigos."),
    (A, "¡Hola! ¡Qué bien! Pequeña corrección: 'Ayer fui al cine'. ¿Qué película viste?"),
    (U, "Yo vi una película de terror. Fue muy miedo.")]),
("en", "multi-turn: rewrite with constraint", [
    (U, "Write a short bio for my pottery Instagram"),
    (A, "Handmade ceramics from a tiny studio in Leeds. Slow mornings, muddy hands, one-of-a-kind mugs."),
    (U, "under 150 characters please, and mention I take custom orders")]),
("es", "spanish, multi-turn: recommendations", [
    (U, "Me voy a vivir a Valencia."),
    (A, "¡Qué bien! ¿Ya conoces la ciudad?"),
    (U, "No mucho. ¿Qué barrios me recomiendas para alguien joven que trabaja desde casa?")]),
("en", "multi-turn: story continuation", [
    (U, "start a story about a girl who finds a door in her garden wall"),
    (A, "Maya had walked past the garden wall a thousand times, but that morning there was a small green door in it, no taller than her knee, with a brass handle shaped like a snail."),
    (U, "continue, and introduce a talking fox who is a bit of a liar")]),
("en", "multi-turn: brainstorm after opinion", [
    (U, "do you think it's worth starting a newsletter in 2025"),
    (A, "It can be, if you have a clear niche and enjoy writing regularly. Newsletters give you a direct line to readers that doesn't depend on algorithms."),
    (U, "ok I'm in. my niche is budget travel in eastern europe. give me 10 first-issue ideas")]),
("fr", "french, multi-turn: rewrite", [
    (U, "Corrige ce message : 'Bonjour, je voudrai savoir si vous etes ouvert dimanche, merci'"),
    (A, "Bonjour, je voudrais savoir si vous êtes ouverts dimanche. Merci !"),
    (U, "Parfait. Tu peux le rendre un peu plus chaleureux ?")]),
("en", "multi-turn: casual chat about a movie", [
    (U, "just watched Inception again"),
    (A, "Great film! Did you catch anything new this time?"),
    (U, "yeah the ending still gets me. do you think the top was going to fall? what's your take")]),
("en", "system + user, hotel email", [
    (S, "You write emails for a small family-run hotel."),
    (U, "A guest complained that the breakfast ended too early (9:30). We're extending it to 10:30 from next month. Write a warm reply thanking them.")]),
("en", "multi-turn: gift advice narrowing", [
    (U, "gift for my mom's 60th?"),
    (A, "Some ideas: a personalised photo book, a weekend getaway, a cooking class, or jewellery with the grandkids' birthstones."),
    (U, "she loves gardening but has everything. something experience-based under $150?")]),
("de", "german, multi-turn: text message", [
    (U, "Ich habe morgen ein Date und bin nervös."),
    (A, "Das ist ganz normal! Wie kann ich helfen?"),
    (U, "Kannst du mir eine lockere Nachricht schreiben, mit der ich den Treffpunkt bestätige?")]),
]

# Long item placed at a holdout position (item 72) so holdout also has a long general prompt.
ITEMS.insert(71, ("en", "long (1500+ chars): proofread and polish a personal essay", """Can you help me polish this personal statement for a community college scholarship? Keep my voice, fix grammar, and make the ending stronger. It should stay under 500 words.

When I was fourteen my family moved from a small town to the city because my dad got a job at a warehouse, and I had to start a new school in the middle of the year. I didn't know anyone and honestly I didn't really try to know anyone either, I mostly sat in the library at lunch and read whatever was on the returns cart. That's how I found a book about bridges, which sounds boring but it wasn't, it was about how people figured out how to cross rivers that everyone said couldn't be crossed.

The next summer I started working at my uncle's bike repair shop. At first I just swept the floor and sorted bolts into jars, but after a few weeks he let me fix flat tyres and then brakes and then whole gear systems. I liked it because every bike that came in had a problem and a story, like the nurse who rode 10 miles to the hospital every day or the kid who saved up for a year to buy a used BMX. When I fixed their bikes I felt like I was fixing a small part of their day.

Last year my uncle got sick and couldn't work for three months. I kept the shop open on weekends with my cousin. We made mistakes, we ordered the wrong parts twice and once a customer yelled at us because his bike wasn't ready, but we also kept most of the regular customers and we even started a free 'fix your own bike' Saturday for kids in the neighbourhood, which now has about fifteen kids coming every week.

I want to study mechanical engineering because I want to understand the things I've been fixing by feel, why a frame breaks in one place and not another, why some designs last forty years. Eventually I'd like to design affordable bikes and maybe bridges too, for towns like the one I came from, where getting across something is sometimes the hardest part of the day.

This scholarship would let me cut my hours at the shop so I can take the full course load. I know I can do the work, I've been doing hard work for a long time, I just need the time to do it.

Thank you for considering my application."""))
