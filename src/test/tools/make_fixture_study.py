#!/usr/bin/env python3
"""Writes the fixture study under src/test/resources/dev/cltbench/fixture-study.

Every question, answer and grade below was written for the project's tests (not taken from the
published study). The evaluated text of a self-transfer answer and its word count follow the rule of
the published study's data README, implemented here on its own so that tests comparing the program's
extraction with response_length compare two independent readings of that rule.

Run from the project root:  python3 src/test/tools/make_fixture_study.py
The generated files are committed; tests never run this script.
"""
import csv
import io
import json
import os
import re

OUT = "src/test/resources/dev/cltbench/fixture-study"

# id, category, english, kazakh, mongolian, reference answer (English)
QUESTIONS = [
    (1, "factual", "At what temperature in degrees Celsius does water boil at sea level?",
     "Теңіз деңгейінде су неше градус Цельсийде қайнайды?",
     "Далайн түвшинд ус Цельсийн хэдэн хэмд буцалдаг вэ?",
     "At 100 degrees Celsius (at standard atmospheric pressure)."),
    (2, "factual", "How many days does a leap year have?",
     "Кібісе жылда неше күн бар?",
     "Өндөр жил хэдэн өдөртэй вэ?",
     "366 days."),
    (3, "factual", "Which planet is closest to the Sun?",
     "Күнге ең жақын планета қайсы?",
     "Нарт хамгийн ойр гариг аль нь вэ?",
     "Mercury."),
    (4, "reasoning", "A shepherd has 12 sheep, buys 5 more and then sells 3. How many sheep does he have now?",
     "Шопанның 12 қойы бар еді, ол тағы 5 қой сатып алып, 3 қойын сатты. Оның қазір неше қойы бар?",
     "Малчин 12 хоньтой байсан, дахиад 5 хонь худалдаж аваад 3 хонийг зарсан. Одоо хэдэн хоньтой вэ?",
     "14 sheep (12 + 5 - 3)."),
    (5, "reasoning", "A train leaves at 9:00 and the trip takes 2 hours and 30 minutes. When does it arrive?",
     "Пойыз сағат 9:00-де шығады, жол 2 сағат 30 минутқа созылады. Ол сағат нешеде келеді?",
     "Галт тэрэг 9:00 цагт хөдөлж, аялал 2 цаг 30 минут үргэлжилнэ. Хэдэн цагт хүрэх вэ?",
     "At 11:30."),
    (6, "reasoning", "Aliya is older than Bolat, and Bolat is older than Dana. Who is the youngest?",
     "Әлия Болаттан үлкен, ал Болат Данадан үлкен. Ең кішісі кім?",
     "Алия Болатаас настай, Болат Данагаас настай. Хамгийн залуу нь хэн бэ?",
     "Dana."),
    (7, "cultural", "What is a yurt?",
     "Киіз үй дегеніміз не?",
     "Гэр гэж юу вэ?",
     "A round, portable home of felt over a wooden lattice frame, used by the nomads of Kazakhstan and Mongolia."),
    (8, "cultural", "What is the drink made from fermented mare's milk called?",
     "Бие сүтінен ашытып жасалатын сусын қалай аталады?",
     "Гүүний сүүг исгэж хийдэг ундааг юу гэж нэрлэдэг вэ?",
     "Kumis: qymyz in Kazakh, airag in Mongolian."),
]

MODELS = [("kestrel_en", "kestrel-en-1"), ("argali_multi", "argali-multi-2")]

# (model, language) -> question id -> (answer, accuracy, fluency, completeness, judge's note)
# Fluency 0 marks an answer in the wrong language; accuracy 0 a wrong one.
DIRECT = {
    ("kestrel_en", "english"): {
        1: ("At sea level, under standard atmospheric pressure, pure water boils at 100 degrees Celsius. "
            "Higher up the pressure is lower, so water boils at a lower temperature.", 2, 2, 2,
            "Correct, with the pressure caveat."),
        2: ("A leap year has 366 days, because February gets an extra day, the 29th.", 2, 2, 2, "Correct and explained."),
        3: ("Mercury is the planet closest to the Sun. It is also the smallest planet of the Solar System.", 2, 2, 2, "Correct."),
        4: ("He starts with 12 sheep, buys 5 and has 17, then sells 3. So he has 14 sheep.", 2, 2, 2, "Right steps, right answer."),
        5: ("It arrives at 11:30: 9:00 plus 2 hours is 11:00, plus 30 minutes is 11:30.", 2, 2, 2, "Correct."),
        6: ("Dana is the youngest: Aliya is older than Bolat, and Bolat is older than Dana.", 2, 2, 2, "Correct logic."),
        7: ("A yurt is a round portable home of Central Asian and Mongolian nomads. It has a wooden lattice "
            "frame covered with felt and can be taken down and moved in a few hours.", 2, 2, 2, "Complete."),
        8: ("It is kumis, a drink of fermented mare's milk. Kazakhs call it qymyz and Mongolians call it airag.",
            2, 2, 2, "Both names given."),
    },
    ("argali_multi", "english"): {
        1: ("Water boils at 100 °C at sea level.", 2, 2, 1, "Correct but brief."),
        2: ("A leap year has 365 days.", 0, 2, 0, "Wrong: 365 is an ordinary year."),
        3: ("The closest planet to the Sun is Mercury.", 2, 2, 1, "Correct, brief."),
        4: ("12 + 5 = 17, and 17 - 3 = 14. The shepherd has 14 sheep.", 2, 2, 2, "Correct."),
        5: ("The train arrives at 11:30.", 2, 2, 1, "Correct, no working shown."),
        6: ("The youngest is Aliya.", 0, 2, 0, "Wrong: Aliya is the oldest."),
        7: ("A yurt is a kind of tent.", 1, 2, 0, "Partly correct, no detail."),
        8: ("It is called ayran.", 0, 2, 0, "Wrong: ayran is made from cow's milk."),
    },
    ("kestrel_en", "kazakh"): {
        1: ("Теңіз деңгейінде, қалыпты атмосфералық қысымда таза су 100 градус Цельсийде қайнайды. "
            "Биік тауда қысым төмен, сондықтан су төменірек температурада қайнайды.", 2, 2, 2, "Дұрыс, толық."),
        2: ("Кібісе жылда 366 күн бар, өйткені ақпан айына бір күн, 29-шы күн қосылады.", 2, 2, 2, "Дұрыс."),
        3: ("Күнге ең жақын планета – Меркурий. Ол Күн жүйесіндегі ең кіші планета да.", 2, 1, 2,
            "Correct; the last sentence reads awkwardly."),
        4: ("Басында 12 қой болды, 5 қой сатып алғанда 17 болды, 3 қойын сатқан соң 14 қой қалды.", 2, 2, 2, "Дұрыс."),
        5: ("Пойыз сағат 11:30-да келеді.", 2, 2, 1, "Correct, no working shown."),
        6: ("Ең кішісі – Дана, өйткені Әлия Болаттан үлкен, ал Болат Данадан үлкен.", 2, 2, 2, "Дұрыс."),
        7: ("Киіз үй – көшпелі қазақтардың дөңгелек, жиналмалы баспанасы. Оның кереге, уық пен шаңырақтан "
            "тұратын ағаш қаңқасы бар, сырты киізбен жабылады.", 2, 2, 2, "Толық, мәдени егжей-тегжейі бар."),
        8: ("Бұл – қымыз. Оны бие сүтін ашытып дайындайды.", 2, 2, 1, "Correct; the Mongolian name is missing."),
    },
    ("argali_multi", "kazakh"): {
        1: ("Су теңіз деңгейінде 100 °C-та қайнайды.", 2, 2, 1, "Correct, brief."),
        2: ("В високосном году 366 дней.", 2, 0, 1, "Correct, but in Russian: wrong language."),
        3: ("Күнге ең жақын планета – Шолпан.", 0, 2, 0, "Wrong: Шолпан is Venus."),
        4: ("12 + 5 = 17, 17 - 3 = 13. Шопанның 13 қойы қалды.", 0, 2, 1, "Wrong subtraction."),
        5: ("The train arrives at 11:30.", 2, 0, 1, "Correct, but in English: wrong language."),
        6: ("Ең кішісі – Дана.", 2, 2, 1, "Correct, no reasoning."),
        7: ("Киіз үй – қазақтың дәстүрлі үйі, оны көшкенде жинап алып жүруге болады.", 2, 2, 1, "Correct, partial."),
        8: ("Бұл сусын шұбат деп аталады.", 0, 2, 0, "Wrong: шұбат is camel's milk."),
    },
    ("kestrel_en", "mongolian"): {
        1: ("Далайн түвшинд, хэвийн агаарын даралтад цэвэр ус Цельсийн 100 хэмд буцалдаг. Өндөр ууланд "
            "даралт бага тул ус арай бага хэмд буцалдаг.", 2, 2, 2, "Зөв, бүрэн."),
        2: ("Өндөр жил 366 өдөртэй, учир нь хоёрдугаар сард нэг өдөр нэмэгддэг.", 2, 2, 2, "Зөв."),
        3: ("Нарт хамгийн ойр гариг бол Буд гариг.", 2, 2, 1, "Correct, brief."),
        4: ("Эхэндээ 12 хонь байсан, 5 хонь аваад 17 болсон, 3 хонийг зарсны дараа 14 хонь үлдсэн.", 2, 2, 2, "Зөв."),
        5: ("Галт тэрэг 11:30 цагт хүрнэ: 9:00 дээр 2 цаг нэмэхэд 11:00, дахиад 30 минут нэмэхэд 11:30.", 2, 2, 2, "Зөв."),
        6: ("Хамгийн залуу нь Болат.", 0, 2, 0, "Wrong: Bolat is in the middle."),
        7: ("Гэр бол нүүдэлчин монголчуудын дугуй, эвхэгддэг орон сууц. Модон хана, унь, тоонотой бөгөөд "
            "гадуур нь эсгийгээр бүрдэг.", 2, 2, 2, "Бүрэн."),
        8: ("Энэ бол айраг. Айргийг гүүний сүүг хөхүүрт исгэж хийдэг.", 2, 2, 2, "Зөв, \"хөхүүр\" is a nice detail."),
    },
    ("argali_multi", "mongolian"): {
        1: ("Ус далайн түвшинд 100 °C-т буцалдаг.", 2, 2, 1, "Correct, brief."),
        2: ("Өндөр жил 365 өдөртэй.", 0, 2, 0, "Wrong."),
        3: ("Нарт хамгийн ойр гариг бол Буд гариг юм.", 2, 2, 1, "Correct."),
        4: ("12 + 5 = 17, 17 - 3 = 14. Малчинд 14 хонь үлдсэн.", 2, 2, 2, "Correct."),
        5: ("Галт тэрэг 12:30 цагт хүрнэ.", 0, 2, 0, "Wrong: one hour late."),
        6: ("Хамгийн залуу нь Дана.", 2, 2, 1, "Correct, no reasoning."),
        7: ("Гэр бол майхан.", 1, 1, 0, "Partly correct, too short."),
        8: ("Энэ ундааг айраг гэдэг.", 2, 2, 1, "Correct, brief."),
    },
}

# Self-transfer: (model, language) -> question id -> (English answer of step 2, final answer of step 3,
# accuracy, fluency, completeness, note). The step headings differ by model, and two answers of
# argali_multi exercise the rule's other branches (a heading line; no marker, last third of the lines).
TRANSFER = {
    ("kestrel_en", "kazakh"): {
        1: ("Water boils at 100 degrees Celsius at sea level.", "Теңіз деңгейінде су 100 градус Цельсийде қайнайды.", 2, 2, 1, "Correct."),
        2: ("A leap year has 366 days.", "Кібісе жылда 366 күн бар.", 2, 2, 1, "Correct."),
        3: ("Mercury is the closest planet to the Sun.", "Күнге ең жақын планета – Меркурий.", 2, 2, 1, "Correct."),
        4: ("12 + 5 - 3 = 14, so he has 14 sheep.", "12 + 5 - 3 = 14, демек оның 14 қойы бар.", 2, 2, 2, "Correct."),
        5: ("It arrives at 11:30.", "Пойыз сағат 11:30-да келеді.", 2, 2, 1, "Correct."),
        6: ("Dana is the youngest.", "Ең кішісі – Дана.", 2, 2, 1, "Correct."),
        7: ("A yurt is a round felt tent of nomads.", "Киіз үй – көшпелілердің киізден жасалған дөңгелек шатыры.", 1, 2, 1,
            "Partly correct: misses the lattice frame; \"шатыр\" is a loose word."),
        8: ("It is kumis.", "Бұл – қымыз.", 2, 2, 0, "Correct, minimal."),
    },
    ("argali_multi", "kazakh"): {
        1: ("Water boils at 100 °C at sea level.", "Су теңіз деңгейінде 100 °C-та қайнайды.", 2, 2, 1, "Correct."),
        2: ("A leap year has 366 days.", "Кібісе жылда 366 күн болады.", 2, 2, 1, "Correct; the transfer fixed the direct answer's language."),
        3: ("The closest planet is Mercury.", "Ең жақын планета – Меркурий.", 2, 2, 1, "Correct."),
        4: ("17 - 3 = 14 sheep.", "17 - 3 = 14 қой.", 2, 1, 1, "Correct, terse."),
        5: ("It arrives at 11:30.", "Ол 11:30-да келеді.", 2, 2, 1, "Correct."),
        6: ("Dana.", "Дана.", 2, 2, 0, "Correct, one word."),
        7: ("A yurt is a portable home with a felt cover.", "Киіз үй – сырты киізбен жабылған жиналмалы үй.", 2, 2, 1, "Correct, partial."),
        8: ("It is kumis.", "Бұл – қымыз.", 2, 2, 0, "Correct, minimal."),
    },
    ("kestrel_en", "mongolian"): {
        1: ("Water boils at 100 degrees Celsius at sea level.", "Далайн түвшинд ус Цельсийн 100 хэмд буцалдаг.", 2, 2, 1, "Correct."),
        2: ("A leap year has 366 days.", "Өндөр жил 366 өдөртэй.", 2, 2, 1, "Correct."),
        3: ("Mercury.", "Буд гариг.", 2, 2, 0, "Correct, minimal."),
        4: ("He has 14 sheep.", "Түүнд 14 хонь байна.", 2, 2, 1, "Correct."),
        5: ("It arrives at 11:30.", "11:30 цагт хүрнэ.", 2, 2, 1, "Correct."),
        6: ("Dana is the youngest.", "Хамгийн залуу нь Дана.", 2, 2, 1, "Correct; the transfer fixed the direct answer."),
        7: ("A yurt is a round portable felt home with a wooden frame.", "Гэр бол модон хүрээтэй, эсгий бүрээстэй дугуй зөөврийн орон сууц.", 2, 2, 2, "Complete."),
        8: ("It is airag, fermented mare's milk.", "Энэ бол айраг, исгэсэн гүүний сүү.", 2, 2, 1, "Correct."),
    },
    ("argali_multi", "mongolian"): {
        1: ("Water boils at 100 °C.", "Ус 100 °C-т буцалдаг.", 2, 2, 1, "Correct."),
        2: ("A leap year has 366 days.", "Өндөр жил 366 өдөр.", 2, 1, 1, "Correct, clipped."),
        3: ("Venus is the closest planet.", "Хамгийн ойр гариг бол Сугар.", 0, 2, 0, "Wrong: Сугар is Venus."),
        4: ("He has 14 sheep.", "Түүнд 14 хонь бий.", 2, 2, 1, "Correct."),
        5: ("It arrives at 11:30.", "11:30 цагт ирнэ.", 2, 2, 1, "Correct; the transfer fixed the direct answer."),
        6: ("Dana.", "Дана.", 2, 2, 0, "Correct, one word."),
        7: ("A yurt is a felt tent.", "Гэр бол эсгий майхан.", 1, 2, 0, "Partly correct."),
        8: ("It is airag.", "Айраг.", 2, 2, 0, "Correct, minimal."),
    },
}

# The system prompts are the fixture pipeline's (pipeline.json, written by hand), so a replay finds
# every recorded answer under the prompt the pipeline sends.
with open(f"{OUT}/pipeline.json", encoding="utf-8") as _f:
    SYSTEM = {c["id"]: c["system_prompt"] for c in json.load(_f)["conditions"] if c.get("system_prompt")}

CONDITIONS = [
    ("C1", "C1_english", "english", "English question, no system prompt"),
    ("C2", "C2_kazakh", "kazakh", "Kazakh question, answer in Kazakh"),
    ("C3", "C3_kazakh_transfer", "kazakh", "Kazakh -> English -> English -> Kazakh (self-transfer)"),
    ("C4", "C4_mongolian", "mongolian", "Mongolian question, answer in Mongolian"),
    ("C5", "C5_mongolian_transfer", "mongolian", "Mongolian -> English -> English -> Mongolian (self-transfer)"),
]


def transfer_text(model, language, qid, english_q, english_a, final):
    if model == "kestrel_en" and language == "kazakh":
        return (f"1-қадам. Сұрақтың ағылшынша аудармасы:\n{english_q}\n\n"
                f"2-қадам. Ағылшынша жауап:\n{english_a}\n\n3-қадам. Қазақшаға аудару:\n{final}")
    if model == "kestrel_en":
        return (f"Алхам 1. Асуултын англи орчуулга:\n{english_q}\n\n"
                f"Алхам 2. Англи хариулт:\n{english_a}\n\nАлхам 3. Монгол хэл рүү:\n{final}")
    if language == "kazakh" and qid == 2:
        return f"Сұрақ: {english_q}\nЖауап: {english_a}\nАудармасы: {final}"
    if language == "mongolian" and qid == 7:
        # Six lines, no step-3 marker: the last third (two lines) is the evaluated answer.
        return f"{english_q}\n{english_a}\nМонголоор:\nГэр.\n{final}\nЭнэ бол монгол гэр."
    return f"Step 1: {english_q}\nStep 2: {english_a}\nStep 3: {final}"


HEADINGS = ["қазақ тіліне аудар", "аудармасы", "қазақша жауап", "монгол хэл рүү орчуул", "орчуулга",
            "монголоор хариул", "translation", "final answer", "translated answer"]
STEP_WORDS = ["қадам", "алхам", "step", "адым"]
MARKER = re.compile(r"^[ \t]*(?:#{1,3}[ \t]*)?(?:3[-.:]?[ \t]*(?:" + "|".join(STEP_WORDS) + r")|(?:"
                    + "|".join(STEP_WORDS) + r")[ \t]*3|(?:" + "|".join(HEADINGS) + "))",
                    re.MULTILINE | re.IGNORECASE)


def evaluated(text):
    """The final answer by the data README's rule: after the first step-3 marker, else the last third."""
    m = MARKER.search(text)
    if m:
        return text[m.end():].strip()
    lines = text.split("\n")
    if len(lines) >= 6:
        return "\n".join(lines[len(lines) - len(lines) // 3:]).strip()
    return text.strip()


def seconds(model_index, condition_index, qid):
    # Made-up latencies, distinct per cell: the transfer conditions (longer answers) take longer.
    base = [3.1, 5.7][model_index] + [0.0, 0.8, 4.2, 1.1, 4.9][condition_index]
    return round(base + ((qid * 37 + condition_index * 11 + model_index * 5) % 23) / 10.0, 2)


def main():
    os.makedirs(f"{OUT}/benchmark", exist_ok=True)
    questions = [{"id": q[0], "category": q[1], "english": q[2], "kazakh": q[3], "mongolian": q[4],
                  "reference_answer": q[5]} for q in QUESTIONS]
    with open(f"{OUT}/benchmark/questions.json", "w", encoding="utf-8") as f:
        json.dump(questions, f, ensure_ascii=False, indent=2)
        f.write("\n")
    by_id = {q["id"]: q for q in questions}
    for ci, (cid, directory, language, description) in enumerate(CONDITIONS):
        transfer = cid in ("C3", "C5")
        rows = {}
        for mi, (model, model_id) in enumerate(MODELS):
            responses = []
            for qid in by_id:
                q = by_id[qid]
                if transfer:
                    english_a, final, a, fl, c, note = TRANSFER[(model, language)][qid]
                    text = transfer_text(model, language, qid, q["english"], english_a, final)
                    graded = evaluated(text)
                else:
                    text, a, fl, c, note = DIRECT[(model, language)][qid]
                    graded = text
                t = seconds(mi, ci, qid)
                responses.append({"question_id": qid, "category": q["category"], "question_text": q[language],
                                  "response": text, "reference_answer": q["reference_answer"],
                                  "response_time_seconds": t})
                rows[(qid, mi)] = [qid, q["category"], model, a, fl, c, a + fl + c, t, len(graded.split()), note]
            os.makedirs(f"{OUT}/results/{directory}", exist_ok=True)
            doc = {"model": model, "model_id": model_id, "condition": cid, "condition_description": description,
                   "language": language, "system_prompt_used": SYSTEM.get(cid),
                   "started_at": f"2026-11-0{ci + 1}T0{mi}:00:00+00:00", "responses": responses,
                   "last_updated": f"2026-11-0{ci + 1}T0{mi}:05:00+00:00"}
            with open(f"{OUT}/results/{directory}/{model}.json", "w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False, indent=2)
                f.write("\n")
        os.makedirs(f"{OUT}/grades", exist_ok=True)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["question_id", "category", "model", "accuracy", "fluency", "completeness", "total",
                    "response_time", "response_length", "notes"])
        for key in sorted(rows):
            w.writerow(rows[key])
        with open(f"{OUT}/grades/{directory}.csv", "w", encoding="utf-8") as f:
            f.write(buf.getvalue())


if __name__ == "__main__":
    main()
