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
import dev.kiln.http.ServiceMount;
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
  private final dev.kiln.identity.Directory directory;

  public CfnApi(String publicUrl, CallerResolver callers, OrchestrationService service, UserCredentials credentials,
      dev.kiln.identity.Directory directory) {
    this.directory = requireNonNull(directory, "directory is null");
    this.context = new ServiceContext(publicUrl, FaultStyle.HEAT, callers, null, ServiceMount.of(PREFIX, "cloudformation"));
    this.service = requireNonNull(service, "service is null");
    this.credentials = requireNonNull(credentials, "credentials is null");
  }

  @Override
  public void routing(HttpRules rules) {
    ApiRoutes routes = new ApiRoutes(rules, context);
    // The ARN's own slashes split it: arn:openstack:heat::{project}:stacks / name / id / resources / name.
    routes.post("/v1/signal/{arn}/{stack_name}/{stack_id}/resources/{resource_name}", Access.PUBLIC, this::signal);
    routes.get("/v1/", Access.PUBLIC, this::action);
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

  /**
   * {@code GET /v1/?Action=DescribeStackResource&StackName=…&LogicalResourceId=…}, signed with a
   * stack user's EC2 key, as os-collect-config's cfn collector polls a POLL_SERVER_CFN server's
   * metadata: the resource's detail in Heat's XML, its {@code Metadata} as JSON text.
   */
  private ApiResponse action(ApiRequest request) {
    UserCredential credential = authenticate(request, PREFIX + "/v1/", "GET");
    String action = request.query("Action").orElse("");
    if (!action.equals("DescribeStackResource")) {
      throw ApiError.badRequest("The action " + action + " is not available in Kiln's CFN API.");
    }
    String stackName = request.query("StackName").orElseThrow(() -> ApiError.badRequest("StackName is required"));
    String logical = request.query("LogicalResourceId")
        .orElseThrow(() -> ApiError.badRequest("LogicalResourceId is required"));
    // A stack user's project is named after its stack's id: that is the one stack the key may read.
    String stackId = directory.project(credential.projectId()).name();
    Actor actor = new Actor(null, credential.userId(), true);
    dev.kiln.orchestration.Stack stack = service.find(actor, stackId);
    if (!StackUsers.projectIdOf(stack.id()).equals(credential.projectId())
        || !(stack.name().equals(stackName) || stack.id().equals(stackName))) {
      throw new ApiError(403, "AccessDenied", "User is not authorized to perform action");
    }
    dev.kiln.orchestration.StackResource resource = service.resource(actor, stack.id(), logical, false);
    JsonNode metadata = service.resourceMetadata(actor, stack.id(), logical);
    String xml = "<DescribeStackResourceResponse><DescribeStackResourceResult><StackResourceDetail>"
        + element("StackId", "arn:openstack:heat::" + stack.projectId() + ":stacks/" + stack.name() + "/" + stack.id())
        + element("StackName", stack.name())
        + element("LogicalResourceId", logical)
        + element("PhysicalResourceId", resource.physicalId())
        + element("ResourceType", resource.type())
        + element("ResourceStatus", resource.resourceStatus())
        + element("Metadata", metadata == null ? "{}" : metadata.toString())
        + "</StackResourceDetail></DescribeStackResourceResult></DescribeStackResourceResponse>";
    return ApiResponse.stream("application/xml", -1,
        new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static String element(String name, String text) {
    String value = text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    return "<" + name + ">" + value + "</" + name + ">";
  }

  /** The EC2 credential that signed the request, or the CFN API's 403. */
  private UserCredential authenticate(ApiRequest request, String path) {
    return authenticate(request, path, "POST");
  }

  private UserCredential authenticate(ApiRequest request, String path, String verb) {
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
        || !Ec2Signatures.verify(secret, signature, verb, host, path, params)) {
      throw new ApiError(403, "SignatureDoesNotMatch",
          "The request signature we calculated does not match the signature you provided");
    }
    return credential;
  }
}
