package io.alignloss.data;

import io.alignloss.config.InputKind;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns and row rules every input of a kind has, whatever objectives read it. Objectives add their
 * own columns (scores, log-probabilities) and rules on top.
 */
public final class InputContract {
    public static final String ID = "id";
    public static final String WEIGHT = "weight";
    public static final String LABEL = "label";
    public static final String PROMPT = "prompt";
    public static final String CHOSEN = "chosen";
    public static final String REJECTED = "rejected";
    public static final String RESPONSE = "response";
    public static final String CONTEXT = "context";
    public static final String MODIFIED_CONTEXT = "modified_context";
    public static final String Z = "z";
    public static final String CANDIDATES = "candidates";
    public static final String REFERENCE = "reference";

    private InputContract() {
    }

    /** The required text columns of a kind; they also feed the derived id. */
    public static List<String> textColumns(InputKind kind) {
        return switch (kind) {
            case PREFERENCE -> List.of(PROMPT, CHOSEN, REJECTED);
            case SEQUENCE -> List.of(PROMPT, RESPONSE);
            case SELF_TARGET -> List.of(CONTEXT, MODIFIED_CONTEXT);
        };
    }

    public static List<ColumnSpec> columns(InputKind kind) {
        String who = kind.configName() + " input";
        List<ColumnSpec> columns = new ArrayList<>();
        for (String text : textColumns(kind)) {
            columns.add(ColumnSpec.required(text, ColumnType.STRING, who));
        }
        columns.add(ColumnSpec.optional(ID, ColumnType.ID, who));
        columns.add(ColumnSpec.optional(WEIGHT, ColumnType.DOUBLE, who));
        if (kind == InputKind.PREFERENCE) {
            columns.add(ColumnSpec.optional(LABEL, ColumnType.DOUBLE, who));
        }
        if (kind == InputKind.SELF_TARGET) {
            columns.add(ColumnSpec.optional(Z, ColumnType.STRING, who));
            columns.add(ColumnSpec.optional(CANDIDATES, ColumnType.STRING_ARRAY, who));
            columns.add(ColumnSpec.optional(REFERENCE, ColumnType.STRING, who));
        }
        return columns;
    }

    /** The kind's rules, for the optional columns that are present. */
    public static List<RowRule> rules(InputKind kind, List<String> presentColumns) {
        List<RowRule> rules = new ArrayList<>();
        for (String text : textColumns(kind)) {
            rules.add(Rules.missingText(text));
        }
        if (presentColumns.contains(WEIGHT)) {
            rules.add(Rules.badWeight(WEIGHT));
        }
        if (kind == InputKind.PREFERENCE && presentColumns.contains(LABEL)) {
            rules.add(Rules.badLabel(LABEL));
        }
        return rules;
    }
}
