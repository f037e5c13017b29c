package dev.cltbench.cli;

import dev.cltbench.pipelines.ExitCodes;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code cltbench} command line: one sub-command per job, Beam-style {@code --name=value} options. */
public final class Main {
  /** Exit code for every error (one line on stderr says what): {@link ExitCodes#BAD_INPUT}. */
  public static final int BAD_INPUT = ExitCodes.BAD_INPUT;

  /** Exit code of a run that wrote everything with too many tuples failed: {@link ExitCodes#TOO_MANY_FAILURES}. */
  public static final int TOO_MANY_FAILURES = ExitCodes.TOO_MANY_FAILURES;

  /** Exit code of a run whose answers and grades were kept but whose report failed: {@link ExitCodes#REPORT_MISSING}. */
  public static final int REPORT_MISSING = ExitCodes.REPORT_MISSING;

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
    m.put("review-sample", new ReviewSampleCommand());
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
    List<String> restList = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    // Ours, not Beam's: Beam rejects options no registered interface declares.
    boolean verbose = restList.removeIf(a -> a.equals("--verbose") || a.equals("--verbose=true"));
    restList.removeIf(a -> a.equals("--verbose=false"));
    if (verbose) {
      // simplelogger.properties silences the Flink runner's copy of a failed job's trace; system
      // properties win over that file when the first logger is made.
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.beam.runners.flink.FlinkRunner", "error");
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink.client.program.rest.RestClusterClient", "warn");
    }
    String[] rest = restList.toArray(String[]::new);
    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      command.help(out);
      return 0;
    }
    try {
      return command.run(rest, out, err);
    } catch (Throwable t) {
      err.println("error: " + ErrorMessages.oneLine(t, verbose, restList));
      if (verbose) {
        t.printStackTrace(err);
      }
      return BAD_INPUT;
    }
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
    out.println("exit status: 0 done; 2 any error (one line on stderr, --verbose adds the stack trace);");
    out.println("3 run/grade/bench finished and wrote everything, but more than --maxFailureRate of the");
    out.println("tuples failed; 4 run/grade/bench wrote every answer and grade but the report failed (the");
    out.println("last line says how to make it). --output replaces only an earlier cltbench output (see README).");
  }
}
