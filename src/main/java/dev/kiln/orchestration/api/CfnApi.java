package dev.kiln.orchestration.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.CallerResolver;
import dev.kiln.http.FaultStyle;
import dev.kiln.http.ServiceContext;
import dev.kiln.identity.UserCredential;
import dev.kiln.identity.UserCredentials;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.software.Ec2Signatures;
import dev.kiln.orchestration.software.StackUsers;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The part of Heat's CFN API (heat-api-cfn) that pre-signed signal URLs need, at {@code
 * /heat-api-cfn/v1}: {@code POST /signal/{resource ARN}}, authenticated not by a token but by the
 * EC2 version 2 signature in its query, made with a stack user's EC2 key pair (Identity's {@code
 * ec2} credentials). Only a user of the stack's own user project may signal its resources, as Heat.
 */
public final class CfnApi implements HttpService {
  public static final String PREFIX = "/heat-api-cfn";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServiceContext context;
  private final OrchestrationService service;
  private final UserCredentials credentials;

  public CfnApi(String publicUrl, CallerResolver callers, OrchestrationService service, UserCredentials credentials) {
    this.context = new ServiceContext(publicUrl, FaultStyle.HEAT, callers, null);
    this.service = requireNonNull(service, "service is null");
    this.credentials = requireNonNull(credentials, "credentials is null");
  }

  @Override
  public void routing(HttpRules rules) {
    ApiRoutes routes = new ApiRoutes(rules, context);
    // The ARN's own slashes split it: arn:openstack:heat::{project}:stacks / name / id / resources / name.
    routes.post("/v1/signal/{arn}/{stack_name}/{stack_id}/resources/{resource_name}", Access.PUBLIC, this::signal);
    routes.unmatchedIsNotFound();
  }

  private ApiResponse signal(ApiRequest request) {
    String arn = request.pathParam("arn");
    String prefix = "arn:openstack:heat::";
    if (!arn.startsWith(prefix) || !arn.endsWith(":stacks")) {
      throw ApiError.badRequest("Invalid ARN: " + arn);
    }
    String stackId = request.pathParam("stack_id");
    String resourceName = request.pathParam("resource_name");
    String path = PREFIX + "/v1/signal/" + arn + "/" + request.pathParam("stack_name") + "/" + stackId + "/resources/"
        + resourceName;
    UserCredential credential = authenticate(request, path);
    // The key must be a user's of this stack's own user project: a stack user signals only its stack.
    if (credential.projectId() == null || !credential.projectId().equals(StackUsers.projectIdOf(stackId))) {
      throw new ApiError(403, "AccessDenied", "User is not authorized to perform action");
    }
    JsonNode details = request.hasBody() ? request.body() : null;
    service.signal(new Actor(null, credential.userId(), true), stackId, resourceName, details);
    return ApiResponse.ok(NullNode.getInstance());
  }

  /** The EC2 credential that signed the request, or the CFN API's 403. */
  private UserCredential authenticate(ApiRequest request, String path) {
    Map<String, String> params = new HashMap<>();
    for (String name : request.queryNames()) {
      params.put(name, request.query(name).orElse(""));
    }
    String signature = params.remove("Signature");
    String access = params.get("AWSAccessKeyId");
    if (signature == null || access == null) {
      throw new ApiError(403, "MissingAuthenticationToken", "Request is missing a required Authentication Token");
    }
    UserCredential credential;
    String secret;
    try {
      credential = credentials.credential(UserCredentials.ec2Id(access));
      secret = JSON.readTree(credential.blob()).path("secret").asText(null);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
      throw new ApiError(403, "InvalidClientTokenId", "The security token included in the request is invalid");
    } catch (IOException e) {
      secret = null;
      credential = null;
    }
    String host = request.header("Host").orElse("").toLowerCase();
    if (credential == null || !UserCredentials.EC2.equals(credential.type()) || secret == null
        || !Ec2Signatures.verify(secret, signature, "POST", host, path, params)) {
      throw new ApiError(403, "SignatureDoesNotMatch",
          "The request signature we calculated does not match the signature you provided");
    }
    return credential;
  }
}
