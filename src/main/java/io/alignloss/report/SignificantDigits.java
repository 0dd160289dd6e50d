package io.alignloss.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;

/** Axis tick labels with a few significant digits ("0.692", "1.5e-05") instead of a log axis's "10^-0.16". */
final class SignificantDigits extends NumberFormat {
    private static final long serialVersionUID = 1L;
    private final int digits;

    SignificantDigits(int digits) {
        this.digits = digits;
    }

    @Override
    public StringBuffer format(double number, StringBuffer target, FieldPosition position) {
        if (!Double.isFinite(number) || number == 0) {
            return target.append(number == 0 ? "0" : String.valueOf(number));
        }
        return target.append(new BigDecimal(number).round(new MathContext(digits)).stripTrailingZeros().toString()
                .replace("E+", "e").replace("E", "e"));
    }

    @Override
    public StringBuffer format(long number, StringBuffer target, FieldPosition position) {
        return format((double) number, target, position);
    }

    @Override
    public Number parse(String source, ParsePosition position) {
        throw new UnsupportedOperationException("tick labels are not parsed");
    }
}
