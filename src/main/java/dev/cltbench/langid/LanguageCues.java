package dev.cltbench.langid;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-written linguistic cues for the closely related Cyrillic Turkic languages (and the other
 * candidates): no library ships them. The function words and suffixes come from the languages'
 * grammars (standard reference grammars, not fitted); the letter rates are counted on the held-out
 * corpus's development part (see {@link #LETTER_RATES}). The identifier uses them to decide long texts
 * without the models, and for sentences in context ({@link LanguageIdentifier#identifySentence}).
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
   * their share of the letters of the text's script. A letter missing from a language's map is outside
   * its alphabet. Counted, not guessed: on the sentences of the development part of the held-out
   * corpus ({@link HeldOutCorpus}; bak 42,391 letters, kaz 44,285, kir 22,165, mon 37,601, rus 49,815,
   * tat 45,671, tur 54,129, uzb in Cyrillic 4,885), rounded to four places; a test recounts them. Kyrgyz
   * has no letter of its own: it is told from Kazakh by the absence of ә ғ қ ұ һ і with frequent ө ү
   * (its rounded vowel harmony), from Mongolian by ң and by far less э. Uzbek in Latin script has no
   * distinctive letter (its oʻ gʻ are written with a modifier letter).
   */
  static final Map<String, Map<Character, Double>> LETTER_RATES =
      Map.of(
          "kaz", Map.of('і', 0.0688, 'қ', 0.0330, 'ұ', 0.0138, 'ә', 0.0059, 'ғ', 0.0142,
              'ү', 0.0073, 'ө', 0.0137, 'ң', 0.0175, 'э', 0.0012),
          "kir", Map.of('ү', 0.0445, 'ө', 0.0393, 'ң', 0.0089, 'э', 0.0099),
          "mon", Map.of('ү', 0.0364, 'ө', 0.0227, 'э', 0.0780),
          "tat", Map.of('ә', 0.0651, 'ү', 0.0218, 'ө', 0.0120, 'ң', 0.0100, 'һ', 0.0041, 'җ', 0.0017,
              'э', 0.0034),
          "bak", Map.ofEntries(Map.entry('ә', 0.0723), Map.entry('ҙ', 0.0352), Map.entry('ҡ', 0.0200),
              Map.entry('ү', 0.0240), Map.entry('ө', 0.0174), Map.entry('һ', 0.0194),
              Map.entry('ң', 0.0082), Map.entry('ҫ', 0.0047), Map.entry('ғ', 0.0214),
              Map.entry('э', 0.0034)),
          "uzb", Map.of('қ', 0.0330, 'ҳ', 0.0227, 'ў', 0.0133, 'ғ', 0.0012, 'э', 0.0111),
          "rus", Map.of('э', 0.0048),
          "tur", Map.of('ı', 0.0507, 'ü', 0.0161, 'ş', 0.0140, 'ç', 0.0109, 'ğ', 0.0124, 'ö', 0.0082),
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
