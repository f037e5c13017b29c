package dev.cltbench.cli;

import dev.cltbench.study.StudyInputException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code cltbench} command line: one sub-command per job, Beam-style {@code --name=value} options. */
public final class Main {
  /** Exit code for bad input or bad options. */
  public static final int BAD_INPUT = 2;

  interface Command {
    String summary();

    int run(String[] args, PrintStream out, PrintStream err) throws Exception;

    void help(PrintStream out);
  }

  static Map<String, Command> commands() {
    Map<String, Command> m = new LinkedHashMap<>();
    m.put("run", new RunCommand());
    m.put("report", new ReportCommand());
    m.put("grade", new GradeCommand());
    m.put("bench", new BenchCommand());
    m.put("synth", new SynthCommand());
    m.put("validate-language", new ValidateLanguageCommand());
    m.put("identify-language", new IdentifyLanguageCommand());
    return m;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, Command> commands = commands();
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      usage(out, commands);
      return args.length == 0 ? BAD_INPUT : 0;
    }
    Command command = commands.get(args[0]);
    if (command == null) {
      err.println("error: unknown command '" + args[0] + "'");
      usage(err, commands);
      return BAD_INPUT;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      command.help(out);
      return 0;
    }
    try {
      return command.run(rest, out, err);
    } catch (Throwable t) {
      StudyInputException bad = badInput(t);
      if (bad != null) {
        err.println("error: " + bad.getMessage());
        return BAD_INPUT;
      }
      if (t instanceof IllegalArgumentException && t.getCause() == null) {
        err.println("error: " + t.getMessage());
        return BAD_INPUT;
      }
      err.println("error: " + t);
      t.printStackTrace(err);
      return 1;
    }
  }

  /** The input error behind a failure, however deeply a runner wrapped it. */
  static StudyInputException badInput(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StudyInputException s) {
        return s;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  static void usage(PrintStream out, Map<String, Command> commands) {
    out.println("cltbench: measure LLMs on low-resource languages and cross-lingual transfer (Apache Beam)");
    out.println();
    out.println("usage: ./cltbench <command> [--option=value ...] [--runner=DirectRunner|FlinkRunner ...]");
    out.println();
    out.println("commands:");
    commands.forEach((name, c) -> out.printf("  %-18s %s%n", name, c.summary()));
    out.println();
    out.println("./cltbench <command> --help lists a command's options (Beam pipeline options apply too).");
  }
}
