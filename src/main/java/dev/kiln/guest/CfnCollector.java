package dev.kiln.guest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * os-collect-config's cfn collector: {@code DescribeStackResource} on Heat's CFN API, signed with
 * the stack user's EC2 key (signature version 2, HmacSHA256), and the resource's {@code Metadata}
 * out of the XML answer. Signs on its own rather than with Kiln's server-side code: a guest shares
 * nothing with the cloud but HTTP.
 */
final class CfnCollector implements MetadataCollector {
  private final GuestHttp http;
  private final GuestBootstrap.Cfn settings;

  CfnCollector(GuestHttp http, GuestBootstrap.Cfn settings) {
    this.http = requireNonNull(http, "http is null");
    this.settings = requireNonNull(settings, "settings is null");
  }

  @Override
  public String name() {
    return "cfn";
  }

  @Override
  public JsonNode collect() throws GuestException {
    String path = settings.path();
    int dot = path.indexOf('.');
    if (dot < 0) {
      throw new GuestException("the cfn path " + path + " is not resource.field");
    }
    String resource = path.substring(0, dot);
    Map<String, String> params = new TreeMap<>();
    params.put("Action", "DescribeStackResource");
    params.put("StackName", settings.stackName());
    params.put("LogicalResourceId", resource);
    params.put("AWSAccessKeyId", settings.accessKeyId());
    params.put("SignatureVersion", "2");
    params.put("SignatureMethod", "HmacSHA256");
    URI uri = URI.create(settings.metadataUrl());
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      query.append(query.isEmpty() ? "" : "&").append(encode(e.getKey())).append('=').append(encode(e.getValue()));
    }
    String signature = sign(settings.secretAccessKey(),
        "GET\n" + uri.getRawAuthority() + "\n" + uri.getPath() + "\n" + query);
    GuestHttp.Answer answer =
        http.send("GET", settings.metadataUrl() + "?" + query + "&Signature=" + encode(signature), null, null);
    if (!answer.ok()) {
      throw new GuestException("the CFN API refused DescribeStackResource (" + answer.status() + ")");
    }
    String field = path.substring(dot + 1);
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(answer.body())));
      NodeList found = doc.getElementsByTagName(field);
      if (found.getLength() == 0) {
        throw new GuestException("the resource detail has no " + field);
      }
      JsonNode metadata = GuestHttp.JSON.readTree(found.item(0).getTextContent());
      if (!metadata.isObject()) {
        throw new GuestException("the resource's " + field + " is not a JSON object");
      }
      return metadata;
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new GuestException("the CFN API's answer could not be read: " + e.getMessage());
    }
  }

  private static String sign(String secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
  }
}
