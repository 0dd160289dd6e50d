package io.alignloss.cli;

import io.alignloss.config.Redaction;
import picocli.CommandLine;

import java.io.PrintWriter;

import static java.util.Objects.requireNonNull;

/**
 * A command's stdout or stderr once its config is loaded: every text written passes through
 * {@link Redaction#text}, so failure messages, stack traces and the headline never show a secret from the config.
 * Each {@code print}/{@code println} of a string is masked as a whole (a secret split across two writes would not be).
 */
final class RedactingWriter extends PrintWriter {
    private final Redaction redaction;

    RedactingWriter(PrintWriter target, Redaction redaction) {
        super(requireNonNull(target, "target is null"), true);
        this.redaction = requireNonNull(redaction, "redaction is null");
    }

    /** Routes the command's (and its exception handler's) stdout and stderr through the redaction. */
    static void install(CommandLine commandLine, Redaction redaction) {
        commandLine.setOut(new RedactingWriter(commandLine.getOut(), redaction));
        commandLine.setErr(new RedactingWriter(commandLine.getErr(), redaction));
    }

    @Override
    public void write(String text, int offset, int length) {
        String shown = redaction.text(text.substring(offset, offset + length));
        super.write(shown, 0, shown.length());
    }

    @Override
    public void write(char[] buffer, int offset, int length) {
        write(new String(buffer, offset, length), 0, length);
    }
}
