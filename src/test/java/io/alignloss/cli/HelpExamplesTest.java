package io.alignloss.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example command line printed by {@code --help} (the top level's and every command's) works: each is taken
 * from the help text as a user would copy it, its {@code out/...} paths moved into a temporary folder, and run
 * in-process from the project root in help order (train before score, which reads train's model), expecting exit 0.
 * Two are only parsed, and the files they read checked: {@code embed} (the encoder takes minutes on the samples)
 * and {@code bench} (a benchmark takes minutes by design).
 */
class HelpExamplesTest {
    private static final Pattern OUT = Pattern.compile("(^|=)out/");
    private static final Set<String> PARSED_ONLY = Set.of("embed", "bench");

    @TempDir
    Path temp;

    private static String help(String... command) {
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of(command));
        args.add("--help");
        int status = Main.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args.toArray(String[]::new));
        assertThat(status).as("help of %s", args).isZero();
        return out.toString();
    }

    /** The indented lines that start with "alignloss ", joined with their shell continuation lines (ending in '\\'). */
    static List<String> examples(String help) {
        List<String> examples = new ArrayList<>();
        StringBuilder current = null;
        for (String line : help.split("\\R")) {
            String text = line.trim();
            if (current == null && line.startsWith(" ") && text.startsWith("alignloss ")) {
                current = new StringBuilder();
                text = text.substring("alignloss ".length());
            }
            if (current == null) {
                continue;
            }
            boolean continued = text.endsWith("\\");
            current.append(continued ? text.substring(0, text.length() - 1).trim() : text).append(" ");
            if (!continued) {
                examples.add(current.toString().trim());
                current = null;
            }
        }
        return examples;
    }

    @Test
    void everyExampleInTheHelpRuns() throws Exception {
        List<String> examples = new ArrayList<>(examples(help()));
        List<String> commands = new ArrayList<>(new CommandLine(new Main()).getSubcommands().keySet());
        List<String> without = new ArrayList<>();
        for (String command : commands) {
            List<String> own = examples(help(command));
            assertThat(own).as("%s --help", command).allMatch(example -> example.startsWith(command + " "));
            if (own.isEmpty()) {
                without.add(command);
            }
            examples.addAll(own);
        }
        // no battles ship with the samples, so leaderboard's help has no example that could run
        assertThat(without).containsExactly("leaderboard");
        assertThat(examples).hasSize(commands.size());
        for (String example : examples) {
            List<String> args = new ArrayList<>();
            for (String word : example.split("\\s+")) {
                args.add(OUT.matcher(word).replaceFirst("$1" + Matcher.quoteReplacement(temp.toString()) + "/out/"));
            }
            for (String word : args) {
                String value = word.contains("=") ? word.substring(word.indexOf('=') + 1) : word;
                if (value.startsWith("conf/") || value.startsWith("data-samples/")) {
                    assertThat(Path.of(value)).as("%s reads %s", example, value).exists();
                }
            }
            if (PARSED_ONLY.contains(args.get(0))) {
                new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
                continue;
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
            assertThat(status).as("alignloss %s%n%s", example, err).isZero();
        }
        assertThat(Files.list(temp.resolve("out"))).isNotEmpty();
    }

    @Test
    void nightlyHelpShowsThePlaceholderPicocliWouldEat() {
        assertThat(help("nightly").replaceAll("\\s+", " ")).contains("input paths may contain ${run_date}")
                .doesNotContain("contain null");
    }

    @Test
    void theSetExampleNamesAnObjectiveOfTheExampleConfig() {
        String help = help("evaluate").replaceAll("\\s+", " ");
        assertThat(help).doesNotContain("objectives.bt.mode").contains("objectives.<name>.<key>=VALUE")
                .contains("\\ --set objectives.lm.mode=joint");
        assertThat(examples(help("evaluate"))).containsExactly(
                "evaluate --config conf/samples.conf --out out/samples --set objectives.lm.mode=joint");
    }
}
