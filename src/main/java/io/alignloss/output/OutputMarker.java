package io.alignloss.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.SummaryJson;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The file {@code _ALIGNLOSS} every published output holds ({@code command=<command>} and {@code run=<run id>}
 * lines): how a later run with {@code --overwrite} tells a folder alignloss wrote from someone else's. Outputs
 * from before the marker are recognised by summary.json (its {@code command}) or leaderboard.json.
 */
final class OutputMarker {
    static final String NAME = "_ALIGNLOSS";
    static final String SUMMARY = "summary.json";
    static final String LEADERBOARD = "leaderboard.json";

    private OutputMarker() {
    }

    static void write(FileSystem fs, Path folder, String command, String runId) throws IOException {
        try (FSDataOutputStream stream = fs.create(new Path(folder, NAME), true)) {
            stream.write(format(command, runId).getBytes(StandardCharsets.UTF_8));
        }
    }

    static String format(String command, String runId) {
        return "command=" + command + "\nrun=" + runId + "\n";
    }

    /**
     * The command that wrote an alignloss output folder ("" when the folder does not say), or empty when the
     * folder holds neither the marker nor summary.json nor leaderboard.json.
     */
    static Optional<String> command(FileSystem fs, Path folder) throws IOException {
        Path marker = new Path(folder, NAME);
        if (fs.isFile(marker)) {
            return Optional.of(value(read(fs, marker), "command"));
        }
        Path summary = new Path(folder, SUMMARY);
        if (fs.isFile(summary)) {
            try {
                JsonNode command = SummaryJson.mapper().readTree(read(fs, summary)).path("command");
                return Optional.of(command.isTextual() ? command.asText() : "");
            }
            catch (IOException e) { // a summary.json alignloss wrote, cut short: still ours
                return Optional.of("");
            }
        }
        if (fs.isFile(new Path(folder, LEADERBOARD))) {
            return Optional.of("leaderboard");
        }
        return Optional.empty();
    }

    /** The value of a {@code key=value} line, or "". */
    static String value(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        return "";
    }

    private static String read(FileSystem fs, Path file) throws IOException {
        try (FSDataInputStream stream = fs.open(file)) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
