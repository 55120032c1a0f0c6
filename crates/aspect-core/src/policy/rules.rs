//! The default term lists, in the pattern language of
//! [`matcher`](super::matcher). Each list errs on the side of removing a
//! sentence: a false removal costs one sentence of a summary, a miss puts
//! a hiring-law problem in the customer's system of record.

/// Phrases blanked out before matching because they are everyday
/// engineering vocabulary that shares a word with a protected term
/// ("race condition", "child process", "health check", "foreign key").
pub(crate) const NEUTRAL: &[&str] = &[
    "race condition*|conditions",
    "data race*",
    "child|children|parent|parents|grandchild|grandchildren|grandparent|grandparents process*|node*|class*|element*|component*|table*|thread*|span*|task*|record*|issue*|ticket*|directory|directories|window*|widget*|key*|object*|entit*|row*|item*|theme*|company|companies|pom*|module*|account*|job*|workflow*|pipeline*|resource*|commit*|branch*",
    "foreign key*",
    "black|white box*|list*|paper*|label*|hat*|board*|space*",
    "health check*|endpoint*|probe*|monitor*|status+page*",
    "mental model*",
    "god object*|class*",
    "blind spot*",
    "product|font|instance|model|chip|processor family|families",
    "family|families of instance*|product*|font*|model*|chip*|processor*|type*|service*|algorithm*|protocol*|tool*|function*|method*",
    "young company|companies|codebase*|project*|product*|startup*|field|language*|technology|technologies|framework*",
    // Attendance, not a verdict ("a no-show" is not "a no").
    "no show|shows|showed",
];

/// Hiring recommendations and decisions.
pub(crate) const RECOMMENDATION: &[&str] = &[
    "strong|definite|definitely|clear|lean|leaning|soft|weak|solid|absolute|enthusiastic hire|hires|yes|no|nohire",
    "strong|definite|definitely|clear|clearly|absolute|absolutely|firm|easy|solid|enthusiastic a|an ~1 yes|no|hire|nohire",
    "no|not|never|dont|wouldnt|shouldnt|cant|cannot ~3 hire|hired",
    "should|would|must|recommend*|suggest*|advise*|propose* ~3 hire|hired|hiring|employ*|onboard*|advance|advancing|advanced|reject|rejecting|rejection",
    "should|recommend*|suggest*|advise* ~3 mov*|go|going|proceed*|push* forward",
    "mov*|go|going|proceed*|push* forward ~3 him|her|them|candidate|candidacy|offer|hire|hiring",
    "recommend*|endorse* ~3 him|her|them|candidate|candidacy",
    // "I recommend we don't proceed", "recommend against an offer".
    "recommend*|suggest*|advise* ~2 not|dont|against ~2 proceed*|continu*|advanc*|mov*|hir*|offer*|him|her|them|candidate",
    "recommendation|verdict|decision|outcome ~2 hire|yes|no|reject*|pass|advance*|proceed*",
    "hire ~2 him|her|them|candidate",
    "great|good|excellent|solid|strong|bad|poor|obvious|easy|safe|risky|ideal|perfect hire",
    "thumbs up|down",
    "extend|make|give|send|approve ~3 offer",
    "offer|offering him|her|them|candidate ~2 job|role|position|offer|contract|seat",
    "offer ~2 recommend*|approved|warranted|justified|deserved",
    "deserve*|deserving ~2 offer|job|role|position|hire|spot",
    "ready|readiness to|for ~1 hire|hiring|offer",
    "advanc*|mov*|progress*|proceed*|push*|bring* ~4 onsite|loop|offer",
    "advanc*|mov*|progress*|proceed*|push*|bring* ~4 next|final|second|third|onsite|technical ~1 round|rounds",
    "approve|approved for ~2 next|final|onsite|offer|hire|hiring",
    "advanc* ~4 stage",
    // A verdict about the person: "he should be rejected", "she should get
    // the job", "the candidate passed the interview". Past forms ("she was
    // hired at Stripe", "he landed a job at Google") are work history and
    // stay.
    "he|she|they|candidate ~3 be|get|gets|getting hired|rejected|advanced|declined|offered",
    "he|she|they|candidate|should|would|must ~3 get|gets|land|lands|earn|earns|win|wins ~2 job|role|position|offer $",
    "he|she|they|candidate ~2 failed|passed|flunked|aced|bombed|cleared ~3 interview|interviews|screen|round|loop|onsite",
    "meet*|met|clear*|exceed*|above|below|under the|our ~1 hiring ~1 bar",
    "pass|passing|passed on ~2 him|her|them|candidate",
    "pass|passing on this|that one",
    "hard|firm|definite pass",
    "reject* ~2 him|her|them|candidate|candidacy",
    "worth ~1 hiring|hire",
    "worth ~1 bringing|bring on|aboard|onboard",
    "bring*|bringing him|her|candidate on|onboard|aboard",
    "advocat*|champion*|vouch* ~3 him|her|them|candidate|hir*|bring*|offer",
    "hireable|hirable|unhireable|overqualified|underqualified",
    "would|will be ~3 addition|asset",
    "a|real|definite keeper",
    "not ~2 suitable|qualified|ready|right|match|fit ~3 role|position|job|level|team",
    "good|great|strong|perfect|excellent|ideal|poor|bad|weak match ~3 role|position|job|level",
    "best|top|strongest|weakest|weak|strong|ideal|perfect candidate",
    // Votes and yes/no verdicts: "I'm a yes", "a no from me", "she gets my
    // vote", "I'd say yes to her", "green light from me".
    // ("a no-nonsense manager" is not "a no": the verdicts end the
    // sentence or name who or what they are for).
    "im|i+am|were|we+are|he|she|they|hes|shes|theyre|candidate ~2 a ~1 yes|no|maybe|nogo|no+go $",
    "im|i+am|were|we+are|he|she|they|hes|shes|theyre|candidate ~2 a ~1 yes|no|maybe|nogo|no+go for|from|on ~2 me|us|him|her|them|candidate|hire|hiring|offer|this|role",
    "yes|no from me|us",
    "i|we ~2 vote|votes|voted|voting ~2 yes|no|hire|hiring|him|her|them|candidate",
    "get|gets|got|has|have my ~1 vote|yes|endorsement",
    "say|says|said|saying yes|no ~2 him|her|candidate|hire|hiring|offer",
    "green+light|greenlight from me|us",
    "green+light|greenlight ~2 him|her|candidate|hire|hiring|offer",
    // A verdict alone: "Hire.", "Reject.", "Highly recommended."
    "^ hire|nohire|reject|rejected|decline|declined|recommended|recommend|not+recommended $",
    "^ do ~1 not ~1 hire|advance|proceed|recommend $",
    "^ ~1 strongly|highly|definitely|fully|wholeheartedly|enthusiastically recommend|recommended $",
    "wouldnt|dont|cant|cannot|would+not|do+not|can+not recommend $",
];

/// Ratings and scores.
pub(crate) const RATING: &[&str] = &[
    "#n out of 5|10|100|five|ten|hundred",
    "1|2|3|4|5|one|two|three|four|five star|stars",
    "rate|rates|rating ~2 him|her|them|candidate",
    // A short window: a candidate describing their system ("a worker pulls
    // candidate trucks from an index, scores them and writes the top three
    // back") is not a rating of the candidate.
    "rating|ratings|rated|score|scores|scored|scoring|grade|graded ~3 #n|overall|highly|strong|weak|poor|excellent|average|above|below",
    "#n|overall|candidate|candidates|interview|final ~3 rating|ratings|score|scores|grade",
    // Letter grades: "Grade: A", "B+ overall" ("production-grade, a joy
    // to use" is not one).
    "grade|graded|grades|rating|rated a|b|c|d|f $",
    "grade|graded a|b|c|d|f overall|minus|plus",
    "^ a|b|c|d|f overall|minus|plus",
    // Rankings against other people: "top 5% of candidates", "outperformed
    // every other candidate", "the best engineer I've interviewed".
    "top|bottom ~1 #n|tier|quartile|percentile|half|third ~3 candidate|candidates|applicant*|interviewee*",
    "outperform*|outshin*|outclass*|beat|beats ~4 candidate|candidates|applicant*|interviewee*",
    "than ~3 candidate|candidates|applicant*|interviewee*",
    "best|strongest|weakest|worst ~2 candidate*|applicant*|interviewee*|engineer*|person ~3 seen|interviewed|met",
    "best|strongest|weakest|worst ~4 interviewed",
];

/// Statements about characteristics protected by employment law: age,
/// sex or gender, pregnancy and family status, marital status, race,
/// ethnicity, national origin, religion, disability or health and sexual
/// orientation.
pub(crate) const PROTECTED: &[&str] = &[
    // Age.
    "age|aged|ageing|aging|ageist|ageism|elderly|youthful|youngster*|millennial*|boomer*",
    "young|younger|youngest",
    "year|years|yr|yrs old",
    "too old",
    "old|older ~1 candidate|man|woman|person|people|worker*|applicant*|guy|lady|generation",
    "twenties|thirties|forties|fifties|sixties|seventies",
    "in ~2 20s|30s|40s|50s|60s|70s",
    "gen+z|generation+z|gen+x|generation+x",
    "born|birth|birthday|birthdate",
    "digital+native*|old+timer*|oldtimer*|retiree*|semiretired",
    "he|she|candidate is|was|s ~1 retired|retiring $",
    "hes|shes ~1 retired|retiring $",
    "close|near|nearing|approaching ~1 retirement",
    "retirement age",
    "how old are|is|was|were you|he|she|they",
    // A bare age: "She's 45.", "He looks about 60."
    "he|she|they|candidate is|are|was ~1 #n $",
    "hes|shes|theyre ~1 #n $",
    "he|she|they|hes|shes|theyre ~1 looks|look|seems|seem|appears ~2 #n $",
    // Sex and gender.
    "gender*|sex|sexes|sexism|sexist|transgender*|nonbinary|non+binary|pronoun|pronouns",
    "male|males|female|females|woman|women|girl|girls|lady|ladies|feminine|masculine",
    // Pregnancy and family status.
    "pregnan*|maternity|paternity|parental|parenthood|parenting|childcare|childless|daycare|nanny|babysit*",
    "child|children|kid|kids|baby|babies|toddler*|newborn*|infant*|daughter|daughters|son|sons",
    "mother|mothers|motherhood|father|fathers|fatherhood|mom|moms|mum|mums|dad|dads|parent|parents",
    "family|families|caregiver*|caregiving",
    "grandchild*|grandkid*|grandson*|granddaughter*|grandmother*|grandfather*|grandparent*|grandma|grandpa",
    "ivf|fertility|miscarriage*",
    "he|she|they|hes|shes|theyre ~2 expecting $",
    "expecting ~2 baby|babies|child|twins|kid",
    // Marital status.
    "he|she|candidate is|was ~1 single|unmarried|engaged $",
    "hes|shes ~1 single|unmarried|engaged $",
    "married|marriage|marital|spouse*|husband*|wife|wives|divorc*|widow*|fiance|fiancee|wedding|newlywed*|girlfriend*|boyfriend*",
    // Race and ethnicity.
    "racial*|racism|racist|ethnic*|caucasian|hispanic|latino|latina|latinx|asian|african+american",
    "his|her|their|of|about|by race",
    "race and|or ethnicity|ethnic*|religion|color|colour",
    "black|white ~1 man|men|woman|women|person|people|candidate|guy|girl|applicant*|community",
    "skin ~1 color|colour|tone",
    "he|she|they|candidate is|are|was ~1 black|white|biracial|multiracial $",
    "hes|shes|theyre ~1 black|white|biracial|multiracial $",
    "minority|minorities",
    // National origin.
    "nationality|nationalities|immigra*|foreigner*|citizenship|citizen|citizens|accent|accents|accented|heritage|ancestry|descent",
    "national origin",
    "originally ~1 from",
    "where ~2 you|he|she|they ~1 from|originally",
    "grew up in",
    "english is|isnt|was|wasnt ~2 her|his|their ~1 second|native|first|mother language|tongue",
    "he|she|they|candidate is|are|was|seems|looks ~1 indian|chinese|mexican|nigerian|african|european|arab|russian|korean|japanese|vietnamese|filipino|filipina|pakistani|iranian|persian|turkish|brazilian|italian|irish|polish|ukrainian|german|french|british|english|american|canadian|israeli|palestinian|egyptian|ghanaian|kenyan|ethiopian|somali|jamaican|haitian|cuban|colombian|venezuelan|argentinian|peruvian|bangladeshi|nepali|thai|indonesian|malaysian|taiwanese|syrian|iraqi|afghan|lebanese|moroccan",
    "hes|shes|theyre ~1 indian|chinese|mexican|nigerian|african|european|arab|russian|korean|japanese|vietnamese|filipino|filipina|pakistani|iranian|persian|turkish|brazilian|italian|irish|polish|ukrainian|german|french|british|english|american|canadian|israeli|palestinian|egyptian|ghanaian|kenyan|ethiopian|somali|jamaican|haitian|cuban|colombian|venezuelan|argentinian|peruvian|bangladeshi|nepali|thai|indonesian|malaysian|taiwanese|syrian|iraqi|afghan|lebanese|moroccan",
    "he|she|they|hes|shes|theyre|candidate ~2 from india|china|mexico|nigeria|africa|europe|russia|korea|japan|vietnam|philippines|pakistan|iran|turkey|brazil|italy|ireland|poland|ukraine|germany|france|england|britain|canada|israel|palestine|egypt|ghana|kenya|ethiopia|somalia|jamaica|haiti|cuba|colombia|venezuela|argentina|peru|bangladesh|nepal|thailand|indonesia|malaysia|taiwan|syria|iraq|afghanistan|lebanon|morocco|abroad|overseas",
    "foreign ~1 born|national|nationals|accent|worker|workers|background",
    "native|non+native ~1 speaker|speakers|country|language|tongue",
    // Religion.
    "religio*|church*|mosque*|synagogue*|temple|pray|prays|prayer|prayers|praying|faith|god",
    "christian*|muslim*|islam*|jewish|jew|jews|judaism|hindu*|buddhis*|sikh*|catholic*|protestant*|atheis*|agnostic|mormon*|evangelical",
    "sabbath|ramadan|hijab|headscarf|headscarves|burqa|niqab|kosher|halal|turban|yarmulke|kippah",
    // Disability and health.
    "disab*|handicap*|impairment|impaired|illness*|sick|sickness|disease*|therapy|therapist*",
    "hard of hearing",
    "hearing|vision|visual ~1 impair*|loss|aid|aids",
    "cane|crutch|crutches|prosthe*|amputee*",
    "depress*|anxiety|adhd|autis*|dyslex*|bipolar|ptsd|wheelchair*|deaf|blind|chronic|cancer|diabet*|epilep*|injur*|surgery|hospital*",
    "medical ~1 condition*|leave|history|issue*|reason*|record*|appointment*|need*",
    "mental ~1 health|illness|condition*",
    "health ~2 issue*|problem*|condition*|reason*|concern*|status",
    "his|her|their health",
    "diagnosed ~1 with",
    // Sexual orientation.
    "gay|lesbian*|bisexual*|homosexual*|heterosexual*|queer|lgbt*|asexual|sexuality",
    "sexual orientation",
    "straight ~1 man|woman|guy|girl",
];

/// "Culture fit" judgements.
pub(crate) const CULTURE_FIT: &[&str] = &[
    "culture|cultural fit|fits|add|match",
    "fit|fits|fitting ~3 culture|cultures",
    "good|great|perfect|strong|poor|bad|natural|excellent|weak|right|wrong|team|cultural fit",
    "not ~1 a ~1 fit",
    "fit|fits in|into ~3 team|culture|here|us|group",
    "vibe|vibes",
    "mesh|meshes|meshed|gel|gels|gelled|click|clicks|clicked ~3 team|us|culture|group|everyone",
    "personality ~2 clash*|fit|match|mismatch",
];

/// Hiring verdicts in the other languages the summarizers write (French,
/// German, Spanish, Portuguese: folded, so without accents; Chinese and
/// Japanese: `*…*` parts, as they put no spaces between words). Shorter
/// than the English list: the common verdict phrasings only.
pub(crate) const RECOMMENDATION_INTL: &[&str] = &[
    // French.
    "recommande|recommandons|recommander|recommandation|conseille|conseillons|proposons ~3 embauch*|lembauch*|recrut*|engager|lengager|retenir|avancer|poursuivre|offre|candidat|candidate|candidature",
    "faut|faudrait|devrait|devrions|doit|devons ~3 embauch*|lembauch*|recrut*|engager|lengager|retenir|le+retenir|la+retenir|rejeter|refuser|avancer",
    "pas ~2 embauch*|lembauch*|recrut*",
    "avis|decision|verdict|recommandation ~2 favorable|defavorable|positif|positive|negatif|negative|oui|non|embauche",
    "candidat|candidate|candidature ~3 retenu|retenue|rejete|rejetee|refuse|refusee|ideal|ideale|parfait|parfaite",
    "faire|faisons|presenter|envoyer ~2 une ~1 offre",
    "passer|avancer ~3 prochain|prochaine ~1 etape|tour|entretien",
    "passer|avancer ~4 etape|letape|tour ~1 suivant|suivante|final|finale",
    // German.
    "empfehle|empfehlen|empfehlung|empfohlen ~4 einstellen|einzustellen|anstellen|zusage|angebot|kandidat|kandidatin|ihn",
    "sollten|sollte|mussen|muss|wurde|wurden ~3 einstellen|einzustellen|anstellen|ablehnen",
    "nicht|kein|keine ~3 einstellen|einzustellen|anstellen",
    "klare|klarer|starke|starker|definitiv ~1 zusage|absage|ja|nein",
    "angebot ~2 machen|unterbreiten|schicken|senden",
    "kandidat|kandidatin ~3 abgelehnt|ablehnen|eingestellt|einstellen|ideal|perfekt",
    "nachste|nachsten|finale|finalen ~1 runde|interviewrunde",
    // Spanish.
    "recomiendo|recomendamos|recomendar|recomendacion|sugiero ~3 contratar*|contratacion|avanzar|oferta|candidato|candidata",
    "deberiamos|deberia|debemos|hay+que ~3 contratar*|rechazar*|descartar*|avanzar|ofrecer*",
    "no ~2 contratar*|contrataria|contratariamos",
    "hacer|hagamos|extender|enviar ~2 una ~1 oferta",
    "candidato|candidata ~3 ideal|perfecto|perfecta|rechazado|rechazada|descartado|descartada|apto|apta|seleccionado|seleccionada",
    "siguiente|proxima|final ~1 ronda|etapa|entrevista",
    // Portuguese.
    "recomendo|recomendamos|recomendar|recomendacao|sugiro ~3 contrat*|avancar|oferta|candidato|candidata",
    "deveriamos|deveria|devemos|temos+que ~3 contrat*|rejeitar*|avancar|oferecer*",
    "nao ~2 contrat*",
    "fazer|facamos|enviar ~2 uma ~1 oferta|proposta",
    "candidato|candidata ~3 ideal|perfeito|perfeita|rejeitado|rejeitada|aprovado|aprovada|reprovado|reprovada",
    "proxima|proximo|final ~1 rodada|etapa|fase",
    // Japanese.
    "*不採用*|*内定*|*不合格*|*合格*|*採用を推薦*|*採用を推奨*|*採用すべき*|*ぜひ採用*|*採用したい*|*採用見送り*|*次の選考*|*次の面接*|*最終面接に進*",
    // Chinese (simplified and traditional).
    "*录用*|*錄用*|*聘用*|*不予录用*|*建议录用*|*推荐录用*|*通过面试*|*通過面試*|*进入下一轮*|*進入下一輪*|*发offer*|*發offer*",
];

/// Ratings in French, German, Spanish and Portuguese ("8 sur 10", "8 von
/// 10", "8 de 10"); symbolic ratings ("8/10", "★★★★☆") are caught in any
/// language.
pub(crate) const RATING_INTL: &[&str] = &[
    "#n sur|von|de|em 5|10|100|cinq|dix|funf|zehn|cinco|diez|dez",
    "notation|bewertung|punktzahl|puntuacion|calificacion|nota|pontuacao|avaliacao ~2 #n",
];

/// The languages (BCP 47 primary subtags) whose wording the built-in list
/// of a category covers.
pub(crate) const RECOMMENDATION_LANGUAGES: &[&str] = &["en", "fr", "de", "es", "pt", "ja", "zh"];
/// See [`RECOMMENDATION_LANGUAGES`]; other languages: symbolic ratings only.
pub(crate) const RATING_LANGUAGES: &[&str] = &["en", "fr", "de", "es", "pt"];
/// See [`RECOMMENDATION_LANGUAGES`].
pub(crate) const ENGLISH_ONLY: &[&str] = &["en"];
