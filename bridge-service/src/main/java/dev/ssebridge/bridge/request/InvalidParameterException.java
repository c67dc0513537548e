package dev.ssebridge.bridge.request;

/** A request parameter or header has a value the bridge does not accept. */
public class InvalidParameterException extends RuntimeException {

    private final String parameter;
    private final Integer position;

    public InvalidParameterException(String parameter, String problem) {
        this(parameter, problem, null);
    }

    /** @param position where in the value the problem is (from 0), for an expression; null otherwise */
    public InvalidParameterException(String parameter, String problem, Integer position) {
        super(problem);
        this.parameter = parameter;
        this.position = position;
    }

    public String parameter() {
        return parameter;
    }

    /** Where in the value the problem is, or null. */
    public Integer position() {
        return position;
    }
}
