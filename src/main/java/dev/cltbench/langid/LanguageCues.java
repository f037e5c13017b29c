package dev.cltbench.langid;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-written linguistic cues for the closely related Cyrillic Turkic languages (and the other
 * candidates), which OpenNLP's general 103-language n-gram model confuses: no library ships them, and
 * no labelled Kyrgyz/Tatar/Bashkir corpus is available to train on here, so they come from the
 * languages' alphabets and grammars (standard reference grammars; letter rates are rounded textbook
 * frequencies, not fitted to the study's data).
 */
final class LanguageCues {
  private LanguageCues() {}

  /** The candidate languages (ISO 639-3). */
  static final List<String> CANDIDATES =
      List.of("eng", "kaz", "kir", "mon", "rus", "tat", "bak", "uzb", "tur");

  static final Set<String> LATIN_SCRIPT = Set.of("eng", "tur", "uzb");
  static final Set<String> CYRILLIC_SCRIPT = Set.of("kaz", "kir", "mon", "rus", "tat", "bak", "uzb");

  /**
   * The letters that tell these languages apart (beyond the Russian and basic Latin alphabets), with
   * their approximate share of all letters in running text of each language. A letter missing from a
   * language's map is outside its alphabet. Kyrgyz has no letter of its own: it is told from Kazakh by
   * the absence of ә ғ қ ұ һ і together with frequent ө ү (its rounded vowel harmony), from Mongolian by ң.
   * э is in every Cyrillic alphabet here but only Mongolian uses it often (Turkic languages write it
   * word-initially in a few words).
   */
  static final Map<String, Map<Character, Double>> LETTER_RATES =
      Map.of(
          "kaz", Map.of('і', 0.035, 'қ', 0.030, 'ұ', 0.013, 'ә', 0.012, 'ғ', 0.010,
              'ү', 0.009, 'ө', 0.006, 'ң', 0.006, 'һ', 0.0002, 'э', 0.001),
          "kir", Map.of('ү', 0.025, 'ө', 0.020, 'ң', 0.006, 'э', 0.005),
          "mon", Map.of('ү', 0.016, 'ө', 0.019, 'э', 0.030),
          "tat", Map.of('ә', 0.030, 'ү', 0.015, 'ө', 0.010, 'ң', 0.006, 'һ', 0.005, 'җ', 0.005,
              'э', 0.002),
          "bak", Map.ofEntries(Map.entry('ә', 0.020), Map.entry('ҙ', 0.015), Map.entry('ҡ', 0.010),
              Map.entry('ү', 0.010), Map.entry('ө', 0.010), Map.entry('һ', 0.008),
              Map.entry('ң', 0.006), Map.entry('ҫ', 0.006), Map.entry('ғ', 0.005),
              Map.entry('э', 0.002)),
          "uzb", Map.of('қ', 0.015, 'ҳ', 0.010, 'ў', 0.010, 'ғ', 0.007, 'э', 0.003),
          "rus", Map.of('э', 0.003),
          "tur", Map.of('ı', 0.050, 'ü', 0.019, 'ş', 0.018, 'ç', 0.012, 'ğ', 0.011, 'ö', 0.008),
          "eng", Map.of());

  /** Every letter some language above treats as distinctive, in a fixed order: the identifier
   * counts them in arrays indexed by this order and sums their evidence in it. */
  static final String DISTINCTIVE_LETTERS = "әғқңөұүһіҗҡҙҫўҳэıüşçğö";

  /** Frequent function words (conjunctions, postpositions, pronouns, copulas) of each language. */
  static final Map<String, Set<String>> FUNCTION_WORDS =
      Map.of(
          "eng", Set.of("the", "and", "of", "to", "is", "in", "that", "for", "it", "are", "was", "with",
              "as", "this", "be", "by", "on", "not", "or", "which", "from", "an", "at", "have", "can",
              "will", "these", "they", "their", "you", "your", "if", "when", "into", "than"),
          "tur", Set.of("ve", "bir", "bu", "için", "ile", "değil", "olarak", "daha", "çok", "gibi",
              "olan", "ama", "şey", "kadar", "veya", "ise", "her", "ancak"),
          "uzb", Set.of("ва", "билан", "учун", "ҳам", "эмас", "эди", "бўлиб", "бўлган", "қилиб", "ҳамда",
              "лекин", "ёки", "va", "bilan", "uchun", "ham", "emas", "edi", "lekin", "yoki", "hamda"),
          "kaz", Set.of("және", "мен", "бен", "пен", "үшін", "бұл", "бойынша", "арқылы", "емес", "оның",
              "болады", "ретінде", "туралы", "бірақ", "сондықтан", "немесе", "жоқ", "қазір", "сияқты",
              "барлық", "кейін", "дейін", "осы", "бір", "болып", "яғни", "деп"),
          "kir", Set.of("жана", "менен", "үчүн", "бул", "боюнча", "аркылуу", "эмес", "анын", "болот",
              "катары", "жөнүндө", "бирок", "ошондуктан", "же", "жок", "азыр", "сыяктуу", "бардык",
              "кийин", "чейин", "ошол", "бир", "болуп", "эле", "дагы", "деп"),
          "mon", Set.of("ба", "нь", "юм", "байна", "энэ", "гэж", "болон", "бол", "ийм", "тэр", "мөн",
              "байдаг", "байсан", "хэрэг", "дээр", "учир", "гэвч", "харин", "бөгөөд", "буюу", "биш",
              "тул", "нэг", "олон", "байгаа", "гэсэн", "болно", "юу", "вэ"),
          "rus", Set.of("и", "в", "на", "что", "не", "это", "как", "для", "по", "с", "из", "но", "от",
              "к", "его", "также", "который", "которые", "при", "был", "была", "или", "он", "она"),
          "tat", Set.of("һәм", "белән", "өчен", "бу", "түгел", "дә", "тә", "иде", "булып", "булган",
              "аның", "буенча", "яки", "ләкин", "әмма", "кебек", "шулай"),
          "bak", Set.of("менән", "өсөн", "был", "түгел", "ҙа", "ҙә", "ине", "булып", "булған", "уның",
              "һәм", "буйынса", "йәки", "ләкин", "әммә", "кеүек"));

  /**
   * Word endings (inflectional suffixes) characteristic of one language among the candidates, matched
   * on words of at least {@link #MIN_SUFFIX_WORD} letters. Kazakh genitive ends in ң (-ның), Kyrgyz in н
   * (-нын, -нүн); Kyrgyz plural and participle suffixes harmonise to rounded vowels (-лөр, -гөн) and its
   * verbal nouns and adjectives have long vowels (-уу, -луу) that Kazakh lacks; Mongolian has its own
   * case endings (-ийн, -аас) and tense suffixes (-даг, -лаа).
   */
  static final Map<String, List<String>> SUFFIXES =
      Map.of(
          "kaz", List.of("ның", "нің", "дың", "дің", "тың", "тің", "ған", "ген", "қан", "ады", "еді",
              "йды", "йді", "лық", "лік", "дық", "дік", "тық", "тік"),
          "kir", List.of("нын", "нин", "нун", "нүн", "дын", "дин", "дун", "дүн", "тын", "тин", "тун",
              "түн", "лөр", "дөр", "төр", "лор", "дор", "тор", "гөн", "көн", "гон", "кон", "луу", "лүү",
              "уу", "үү"),
          "mon", List.of("ийн", "аас", "ээс", "оос", "өөс", "даг", "дэг", "дог", "лаа", "лээ", "лоо",
              "лөө", "жээ", "гүй", "үүд", "ууд", "чид"),
          "rus", List.of("ого", "его", "ыми", "ими", "ость", "ться", "ется", "ются", "ение", "ания"),
          "tat", List.of("нең", "ләр", "нәр", "дәр", "тәр", "гән", "кән", "ырга", "ергә"),
          "bak", List.of("ҙар", "ҙәр", "ҙың", "ҙең", "ҡан", "ҙан", "ҙән"),
          "uzb", List.of("нинг", "ning", "моқда", "moqda"),
          "eng", List.of("tion", "ing", "ness", "ment", "ally"),
          "tur", List.of("ları", "leri", "ında", "inde", "yor", "mak", "mek"));

  static final int MIN_SUFFIX_WORD = 5;
}
