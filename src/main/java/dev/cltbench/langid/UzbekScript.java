package dev.cltbench.langid;

/**
 * Uzbek Latin script to Cyrillic, by the letter correspondence of the 1995 Latin alphabet (oʻ→ў, gʻ→ғ,
 * sh→ш, ch→ч, q→қ, h→ҳ, x→х, yo/yu/ya/ye→ё/ю/я/е, word-initial e→э, ʼ→ъ). Used only to give the
 * development-trained model ({@link DevModel}) Cyrillic Uzbek to learn from. Hand-written: no
 * maintained Java library on the reachable registries transliterates Uzbek; loan-word spellings (ц,
 * Russian е/э rules) are not reproduced, which is noise a character n-gram model tolerates.
 */
final class UzbekScript {
  private UzbekScript() {}

  static String toCyrillic(String latin) {
    StringBuilder out = new StringBuilder(latin.length());
    int n = latin.length();
    for (int i = 0; i < n; i++) {
      char c = latin.charAt(i);
      char lower = Character.toLowerCase(c);
      boolean upper = c != lower;
      char next = i + 1 < n ? Character.toLowerCase(latin.charAt(i + 1)) : 0;
      boolean apostrophe = next == '\'' || next == 'ʻ' || next == '‘' || next == '`';
      String cyr;
      int skip = 0;
      if ((lower == 'o' || lower == 'g') && apostrophe) {
        cyr = lower == 'o' ? "ў" : "ғ";
        skip = 1;
      } else if (lower == 's' && next == 'h') {
        cyr = "ш";
        skip = 1;
      } else if (lower == 'c' && next == 'h') {
        cyr = "ч";
        skip = 1;
      } else if (lower == 'y' && (next == 'o' || next == 'u' || next == 'a' || next == 'e')
          && !(i + 2 < n && (latin.charAt(i + 2) == '\'' || latin.charAt(i + 2) == 'ʻ'))) {
        cyr = switch (next) {
          case 'o' -> "ё";
          case 'u' -> "ю";
          case 'a' -> "я";
          default -> "е";
        };
        skip = 1;
      } else if (lower == 'e') {
        boolean initial = i == 0 || !Character.isLetter(latin.charAt(i - 1));
        cyr = initial ? "э" : "е";
      } else if (c == 'ʼ' || c == '’') {
        cyr = "ъ";
      } else {
        int k = "abdfghijklmnopqrstuvxyz".indexOf(lower);
        cyr = k < 0 ? null : String.valueOf("абдфгҳижклмнопқрстувхйз".charAt(k));
      }
      if (cyr == null) {
        out.append(c);
        continue;
      }
      out.append(upper ? cyr.toUpperCase(java.util.Locale.ROOT) : cyr);
      i += skip;
    }
    return out.toString();
  }
}
