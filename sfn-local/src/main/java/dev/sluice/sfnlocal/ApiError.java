package dev.sluice.sfnlocal;

import java.util.List;
import java.util.Objects;

/**
 * An error answer in the JSON protocol, in the namespaces the real service uses: its own model
 * ({@code com.amazonaws.swf.service.v2.model}) for Step Functions errors, {@code
 * com.amazon.coral.validate} for model constraint violations, {@code com.amazon.coral.service} for
 * protocol and authentication errors and {@code com.amazon.coral.availability} for throttling.
 *
 * @param status HTTP status
 * @param namespace the namespace before {@code #} in {@code __type}, or null for a bare code
 * @param code the error code the SDK maps to an exception class
 * @param message the message, or null for none (the service sends none for some protocol errors)
 */
record ApiError(int status, String namespace, String code, String message) {

  static final String STEP_FUNCTIONS = "com.amazonaws.swf.service.v2.model";
  static final String CORAL_SERVICE = "com.amazon.coral.service";
  static final String CORAL_VALIDATE = "com.amazon.coral.validate";
  static final String CORAL_AVAILABILITY = "com.amazon.coral.availability";

  ApiError {
    Objects.requireNonNull(code, "code");
  }

  /** The {@code __type} field of the body. */
  String type() {
    return namespace == null ? code : namespace + "#" + code;
  }

  /**
   * The {@code x-amzn-ErrorType} header: the code, then the namespace as Coral writes it after a
   * colon (the SDK keeps what stands before the colon).
   */
  String errorTypeHeader() {
    return namespace == null ? code : code + ":http://internal.amazon.com/coral/" + namespace + "/";
  }

  static ApiError stepFunctions(String code, String message) {
    return new ApiError(400, STEP_FUNCTIONS, code, message);
  }

  static ApiError invalidArn(String detail) {
    return stepFunctions("InvalidArn", "Invalid Arn: '" + detail + "'");
  }

  static ApiError invalidName(String name) {
    return stepFunctions("InvalidName", "Invalid Name: '" + name + "'");
  }

  static ApiError invalidExecutionInput(String detail) {
    return stepFunctions(
        "InvalidExecutionInput", "Invalid State Machine Execution Input: '" + detail + "'");
  }

  static ApiError stateMachineDoesNotExist(String arn) {
    return stepFunctions("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
  }

  static ApiError executionAlreadyExists(String executionArn) {
    return stepFunctions(
        "ExecutionAlreadyExists", "Execution Already Exists: '" + executionArn + "'");
  }

  static ApiError executionDoesNotExist(String executionArn) {
    return stepFunctions(
        "ExecutionDoesNotExist", "Execution Does Not Exist: '" + executionArn + "'");
  }

  static ApiError invalidToken(String token) {
    return stepFunctions("InvalidToken", "Invalid Token: '" + token + "'");
  }

  static ApiError resourceNotFound(String arn) {
    return stepFunctions("ResourceNotFound", "Resource not found: '" + arn + "'");
  }

  /** Model constraint violations, each one "Value ... at ... failed to satisfy constraint: ...". */
  static ApiError validation(List<String> violations) {
    String noun = violations.size() == 1 ? "error" : "errors";
    return new ApiError(
        400,
        CORAL_VALIDATE,
        "ValidationException",
        violations.size() + " validation " + noun + " detected: " + String.join("; ", violations));
  }

  static ApiError validationMessage(String message) {
    return new ApiError(400, CORAL_VALIDATE, "ValidationException", message);
  }

  static ApiError throttling() {
    return new ApiError(400, CORAL_AVAILABILITY, "ThrottlingException", "Rate exceeded");
  }

  static ApiError missingAuthenticationToken() {
    return new ApiError(
        400,
        CORAL_SERVICE,
        "MissingAuthenticationTokenException",
        "Request is missing Authentication Token");
  }

  static ApiError incompleteSignature(String message) {
    return new ApiError(400, CORAL_SERVICE, "IncompleteSignatureException", message);
  }

  static ApiError invalidSignature(String message) {
    return new ApiError(400, CORAL_SERVICE, "InvalidSignatureException", message);
  }

  static ApiError serialization() {
    return new ApiError(400, CORAL_SERVICE, "SerializationException", null);
  }

  static ApiError unknownOperation(String message) {
    return new ApiError(400, CORAL_SERVICE, "UnknownOperationException", message);
  }
}
