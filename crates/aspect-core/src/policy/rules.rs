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
    "child|children|parent|parents process*|node*|class*|element*|component*|table*|thread*|span*|task*|record*|issue*|ticket*|directory|directories|window*|widget*|key*|object*|entit*|row*|item*|theme*|company|companies|pom*|module*|account*|job*|workflow*|pipeline*|resource*|commit*|branch*",
    "foreign key*",
    "black|white box*|list*|paper*|label*|hat*|board*|space*",
    "health check*|endpoint*|probe*|monitor*|status+page*",
    "mental model*",
    "god object*|class*",
    "blind spot*",
    "product|font|instance|model|chip|processor family|families",
    "family|families of instance*|product*|font*|model*|chip*|processor*|type*|service*|algorithm*|protocol*|tool*|function*|method*",
    "young company|companies|codebase*|project*|product*|startup*|field|language*|technology|technologies|framework*",
];

/// Hiring recommendations and decisions.
pub(crate) const RECOMMENDATION: &[&str] = &[
    "strong|definite|definitely|clear|lean|leaning|soft|weak|solid|absolute|enthusiastic hire|hires|yes|no|nohire",
    "no|not|never|dont|wouldnt|shouldnt|cant|cannot ~3 hire",
    "should|would|must|recommend*|suggest*|advise*|propose* ~3 hire|hiring|employ*|onboard*|advance|advancing|advanced|reject|rejecting|rejection",
    "should|recommend*|suggest*|advise* ~3 mov*|go|going|proceed*|push* forward",
    "mov*|go|going|proceed*|push* forward ~3 him|her|them|candidate|candidacy|offer|hire|hiring",
    "recommend*|endorse* ~3 him|her|them|candidate|candidacy",
    "recommendation|verdict|decision|outcome ~2 hire|yes|no|reject*|pass|advance*|proceed*",
    "hire ~2 him|her|them|candidate",
    "great|good|excellent|solid|strong|bad|poor|obvious|easy|safe|risky|ideal|perfect hire",
    "thumbs up|down",
    "extend|make|give|send|approve ~3 offer",
    "advanc*|mov*|progress*|proceed*|push*|bring* ~4 onsite|loop|offer",
    "advanc*|mov*|progress*|proceed*|push*|bring* ~4 next|final|second|third|onsite|technical ~1 round|rounds",
    "advanc* ~4 stage",
    "pass|passing on ~2 him|her|them|candidate",
    "reject* ~2 him|her|them|candidate|candidacy",
    "worth ~1 hiring|hire",
    "hireable|hirable|unhireable|overqualified|underqualified",
    "would|will be ~3 addition|asset",
    "not ~2 suitable|qualified|ready|right ~3 role|position|job|level|team",
    "best|top|strongest|weakest|weak|strong|ideal|perfect candidate",
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
    // Sex and gender.
    "gender*|sex|sexes|sexism|sexist|transgender*|nonbinary|non+binary|pronoun|pronouns",
    "male|males|female|females|woman|women|girl|girls|lady|ladies|feminine|masculine",
    // Pregnancy and family status.
    "pregnan*|maternity|paternity|parental|parenthood|parenting|childcare|childless|daycare|nanny|babysit*",
    "child|children|kid|kids|baby|babies|toddler*|newborn*|infant*|daughter|daughters|son|sons",
    "mother|mothers|motherhood|father|fathers|fatherhood|mom|moms|mum|mums|dad|dads|parent|parents",
    "family|families|caregiver*|caregiving",
    // Marital status.
    "married|marriage|marital|spouse*|husband*|wife|wives|divorc*|widow*|fiance|fiancee|wedding|newlywed*|girlfriend*|boyfriend*",
    // Race and ethnicity.
    "racial*|racism|racist|ethnic*|caucasian|hispanic|latino|latina|latinx|asian|african+american",
    "his|her|their|of|about|by race",
    "race and|or ethnicity|ethnic*|religion|color|colour",
    "black|white ~1 man|men|woman|women|person|people|candidate|guy|girl|applicant*|community",
    "skin ~1 color|colour|tone",
    "minority|minorities",
    // National origin.
    "nationality|nationalities|immigra*|foreigner*|citizenship|citizen|citizens|accent|accents|accented|heritage|ancestry|descent",
    "national origin",
    "foreign ~1 born|national|nationals|accent|worker|workers|background",
    "native|non+native ~1 speaker|speakers|country|language|tongue",
    // Religion.
    "religio*|church*|mosque*|synagogue*|temple|pray|prays|prayer|prayers|praying|faith|god",
    "christian*|muslim*|islam*|jewish|jew|jews|judaism|hindu*|buddhis*|sikh*|catholic*|protestant*|atheis*|agnostic|mormon*|evangelical",
    "sabbath|ramadan|hijab|kosher|halal|turban|yarmulke|kippah",
    // Disability and health.
    "disab*|handicap*|impairment|impaired|illness*|sick|sickness|disease*|therapy|therapist*",
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
];
