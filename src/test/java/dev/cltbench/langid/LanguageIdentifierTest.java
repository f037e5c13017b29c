package dev.cltbench.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-written sentences (the same content in each language: "The weather is nice today, so we go to
 * the park with the children"), plus cases the study's data showed to be hard. */
class LanguageIdentifierTest {
  private static LanguageIdentifier id;
  /** Kazakh spelling (і, ә, ң) with Kyrgyz жана, менен, бирок, анын, -дын, -гон. */
  private static final String MIXED = "Бұл мәселені шешу үшін бір неше жол бар жана олардын ішінде ең "
      + "маңыздысы менен байланысты болгон әдіс, бирок анын нәтижесі әлі белгісіз.";

  @BeforeAll
  static void load() {
    id = LanguageIdentifier.create();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "eng|The weather is nice today, and we are going to the park with our children.",
      "kaz|Бүгін ауа райы жақсы, сондықтан біз балалармен бірге саябаққа барамыз.",
      "kir|Бүгүн аба ырайы жакшы, ошондуктан биз балдар менен бирге паркка барабыз.",
      "mon|Өнөөдөр цаг агаар сайхан байна, тиймээс бид хүүхдүүдтэйгээ цэцэрлэгт хүрээлэн рүү явна.",
      "rus|Сегодня хорошая погода, поэтому мы идём в парк вместе с детьми.",
      "tat|Бүген һава яхшы, шуңа күрә без балалар белән бергә паркка барабыз.",
      "bak|Бөгөн һауа торошо яҡшы, шуға күрә беҙ балалар менән бергә паркка барабыҙ.",
      "uzb|Бугун ҳаво яхши, шунинг учун биз болалар билан бирга боққа борамиз.",
      "tur|Bugün hava çok güzel, bu yüzden çocuklarla birlikte parka gidiyoruz.",
      "kaz|Абай Құнанбайұлы қазақ жазба әдебиетінің негізін қалаған ақын әрі ойшыл болды.",
      "kir|Манас эпосу кыргыз элинин эң белгилүү жана эң узун оозеки чыгармасы болуп саналат.",
      "mon|Наадам бол монголчуудын хамгийн том үндэсний баяр бөгөөд бөх, морины уралдаан, сур харваа гэсэн гурван төрлөөс бүрддэг.",
  })
  void identifiesHandWrittenSentences(String expected, String text) {
    assertEquals(expected, id.identify(text).language(), text);
  }

  /**
   * Both models are asked on one finding of a text's n-grams ({@link LanguageIdentifier#grams}): their
   * log probabilities must be OpenNLP's own ({@code predictLanguages}), to the last bit, on every
   * published response, every sentence of them, and texts of every script, digits, URLs and emoji
   * (OpenNLP's normalisers rewrite those).
   */
  @Test
  void sharedNgramsGiveOpenNlpsOwnProbabilities() throws Exception {
    java.util.List<String> texts = new java.util.ArrayList<>(List.of("", "a", "3.14 https://x.org/a?b=c",
        "@user #tag 😀 ok", MIXED, "Ｆｕｌｌ　ｗｉｄｔｈ", "עברית ושלום", "x".repeat(5000)));
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    try (var files = java.nio.file.Files.walk(dev.cltbench.StudyData.study().resolve("results"))) {
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files.filter(p -> p.toString().endsWith(".json"))::iterator) {
        for (var r : mapper.readTree(f.toFile()).get("responses")) {
          String text = r.get("response").asText();
          texts.add(text);
          int[] bounds = Segments.sentenceBounds(text);
          for (int k = 0; k < bounds.length; k += 2) {
            texts.add(text.substring(bounds[k], bounds[k + 1]));
          }
        }
      }
    }
    opennlp.tools.langdetect.LanguageDetectorModel published = CandidateModel.load();
    opennlp.tools.langdetect.LanguageDetectorModel dev = DevModel.load();
    var generator = published.getFactory().getContextGenerator();
    var publishedDetector = new opennlp.tools.langdetect.LanguageDetectorME(published);
    var devDetector = new opennlp.tools.langdetect.LanguageDetectorME(dev);
    for (String text : texts) {
      String[] grams = LanguageIdentifier.grams(generator, text);
      assertTrue(java.util.Arrays.equals(LanguageIdentifier.logProbabilities(publishedDetector, text),
          LanguageIdentifier.logProbabilities(published.getMaxentModel(), grams)), text);
      assertTrue(java.util.Arrays.equals(LanguageIdentifier.logProbabilities(devDetector, text),
          LanguageIdentifier.logProbabilities(dev.getMaxentModel(), grams)), text);
    }
    assertTrue(texts.size() > 20_000, texts.size() + " texts");
  }

  /** Kyrgyz morphology written with Kazakh letters, as the study's weakest model wrote: the judge called
   * it Kyrgyz. */
  @Test
  void kazakhLettersWithKyrgyzFormsIsKyrgyz() {
    String mixed = MIXED;
    LanguageGuess g = id.identify(mixed);
    assertEquals("kir", g.language());
    assertEquals("words", g.decidedBy());
  }

  @Test
  void theSameSentenceInKazakhIsKazakh() {
    String kazakh = "Бұл мәселені шешу үшін бір неше жол бар және олардың ішінде ең маңыздысы осы әдіс, "
        + "бірақ оның нәтижесі әлі белгісіз.";
    assertEquals("kaz", id.identify(kazakh).language());
  }

  @Test
  void shortKazakhWithoutKazakhOnlyLettersStaysKazakh() {
    assertEquals("kaz", id.identify("Керей руы Орта жүзге жатады.").language());
  }

  /** English prose with Kazakh names in Cyrillic (a pattern in the study's English answers). */
  @Test
  void englishWithCyrillicNamesIsEnglish() {
    String text = "MuzART is a Kazakh pop group known as a trio. The members are Saken (Сәкен Майғазиев), "
        + "Kaldybek (Қалдыбек Құрманәлі) and Kairat (Қайрат Байбосынов).";
    assertEquals("eng", id.identify(text).language());
  }

  @Test
  void textWithoutLettersIsUndetermined() {
    LanguageGuess g = id.identify("12 + 30 = 42 %");
    assertEquals("und", g.language());
    assertEquals("script", g.decidedBy());
    assertEquals("und", id.identify(null).language());
  }

  @Test
  void confidenceIsAProbabilityAboveTheRunnerUp() {
    LanguageGuess g = id.identify("Бүгін ауа райы жақсы, сондықтан біз балалармен бірге саябаққа барамыз.");
    assertTrue(g.confidence() > 0.5 && g.confidence() <= 1, "confidence " + g.confidence());
    assertTrue(g.runnerUpConfidence() < g.confidence());
    assertNotEquals(g.language(), g.runnerUp());
  }

  /** OpenNLP alone mistakes the Kyrgyz-form Kazakh for Kazakh; the full identifier does not. */
  @Test
  void ablationStagesDiffer() {
    String mixed = MIXED;
    assertEquals("kir", id.identify(mixed, LanguageIdentifier.Stage.WORDS).language());
    assertNotEquals("kir", id.identify(mixed, LanguageIdentifier.Stage.MODELS).language());
  }

  @Test
  void threadSafe() throws Exception {
    List<String> texts = List.of(
        "The weather is nice today, and we are going to the park with our children.",
        "Бүгін ауа райы жақсы, сондықтан біз балалармен бірге саябаққа барамыз.",
        "Өнөөдөр цаг агаар сайхан байна, тиймээс бид хүүхдүүдтэйгээ цэцэрлэгт хүрээлэн рүү явна.");
    List<String> expected = List.of("eng", "kaz", "mon");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> {
          for (int k = 0; k < 50; k++) {
            for (int i = 0; i < texts.size(); i++) {
              if (!id.identify(texts.get(i)).language().equals(expected.get(i))) {
                return false;
              }
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : results) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdown();
    }
  }
}
