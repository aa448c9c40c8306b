using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComplaintDiagnostics.Contracts;

/// <summary>
/// Writes a <see cref="DiagnoseResponse"/> straight onto the <see cref="Utf8JsonWriter"/>, byte for byte what the
/// serializer writes with <see cref="ContractJson.Options"/> (names, order, nulls left out, <c>cause.group</c> always
/// there, enum wire names, timestamps with their offset; the writer's encoder is the options'). The service adds it
/// to its HTTP options: the answer is on the hot path, and the reflection-based serializer spent about a tenth of
/// the service's CPU walking its twenty-odd objects per answer (docs/performance.md). A test compares both on
/// thousands of answers and on one with every property set, and fails when a property is added to the contract
/// and not here.
/// </summary>
/// <remarks>Reading is the serializer's own (<see cref="ContractJson.Options"/>, which does not hold this converter).</remarks>
public sealed class DiagnoseResponseWriter : JsonConverter<DiagnoseResponse>
{
    private static readonly JsonEncodedText TicketId = JsonEncodedText.Encode("ticketId");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText Cause = JsonEncodedText.Encode("cause");
    private static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText Group = JsonEncodedText.Encode("group");
    private static readonly JsonEncodedText Label = JsonEncodedText.Encode("label");
    private static readonly JsonEncodedText MissingFields = JsonEncodedText.Encode("missingFields");
    private static readonly JsonEncodedText Reply = JsonEncodedText.Encode("reply");
    private static readonly JsonEncodedText TemplateId = JsonEncodedText.Encode("templateId");
    private static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
    private static readonly JsonEncodedText Language = JsonEncodedText.Encode("language");
    private static readonly JsonEncodedText WorkOrderText = JsonEncodedText.Encode("workOrderText");
    private static readonly JsonEncodedText Route = JsonEncodedText.Encode("route");
    private static readonly JsonEncodedText Actions = JsonEncodedText.Encode("actions");
    private static readonly JsonEncodedText DueBy = JsonEncodedText.Encode("dueBy");
    private static readonly JsonEncodedText Deadlines = JsonEncodedText.Encode("deadlines");
    private static readonly JsonEncodedText ContactBy = JsonEncodedText.Encode("contactBy");
    private static readonly JsonEncodedText OnSiteBy = JsonEncodedText.Encode("onSiteBy");
    private static readonly JsonEncodedText ResolveBy = JsonEncodedText.Encode("resolveBy");
    private static readonly JsonEncodedText Priority = JsonEncodedText.Encode("priority");
    private static readonly JsonEncodedText Trace = JsonEncodedText.Encode("trace");
    private static readonly JsonEncodedText Workflow = JsonEncodedText.Encode("workflow");
    private static readonly JsonEncodedText MatchedRule = JsonEncodedText.Encode("matchedRule");
    private static readonly JsonEncodedText Evaluated = JsonEncodedText.Encode("evaluated");
    private static readonly JsonEncodedText Rule = JsonEncodedText.Encode("rule");
    private static readonly JsonEncodedText Matched = JsonEncodedText.Encode("matched");
    private static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText Policies = JsonEncodedText.Encode("policies");
    private static readonly JsonEncodedText When = JsonEncodedText.Encode("when");
    private static readonly JsonEncodedText RulesVersion = JsonEncodedText.Encode("rulesVersion");
    private static readonly JsonEncodedText DecisionId = JsonEncodedText.Encode("decisionId");
    private static readonly JsonEncodedText LookedUp = JsonEncodedText.Encode("lookedUp");
    private static readonly JsonEncodedText Field = JsonEncodedText.Encode("field");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText Decisions = JsonEncodedText.Encode("decisions");

    public override DiagnoseResponse? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<DiagnoseResponse>(ref reader, ContractJson.Options);

    public override void Write(Utf8JsonWriter writer, DiagnoseResponse value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        String(writer, TicketId, value.TicketId);
        writer.WriteString(Status, ContractJson.EncodedWireName(value.Status));
        Object(writer, Cause, value.Cause, static (w, cause) =>
        {
            String(w, Code, cause.Code);
            w.WriteString(Group, cause.Group); // Always written, null or not (the contract's cause has three fields).
            String(w, Label, cause.Label);
        });
        Strings(writer, MissingFields, value.MissingFields);
        Object(writer, Reply, value.Reply, static (w, reply) =>
        {
            String(w, TemplateId, reply.TemplateId);
            String(w, Text, reply.Text);
            String(w, Language, reply.Language);
            String(w, WorkOrderText, reply.WorkOrderText);
        });
        writer.WriteString(Route, ContractJson.EncodedWireName(value.Route));
        Objects(writer, Actions, value.Actions, static (w, action) =>
        {
            String(w, Code, action.Code);
            Timestamp(w, DueBy, action.DueBy);
            String(w, Label, action.Label);
        });
        Object(writer, Deadlines, value.Deadlines, static (w, deadlines) =>
        {
            Timestamp(w, ContactBy, deadlines.ContactBy);
            Timestamp(w, OnSiteBy, deadlines.OnSiteBy);
            Timestamp(w, ResolveBy, deadlines.ResolveBy);
        });
        writer.WriteString(Priority, ContractJson.EncodedWireName(value.Priority));
        Object(writer, Trace, value.Trace, WriteTrace);
        String(writer, RulesVersion, value.RulesVersion);
        String(writer, DecisionId, value.DecisionId);
        writer.WriteEndObject();
    }

    private static void WriteTrace(Utf8JsonWriter writer, Trace trace)
    {
        String(writer, Workflow, trace.Workflow);
        String(writer, MatchedRule, trace.MatchedRule);
        Objects(writer, Evaluated, trace.Evaluated, static (w, rule) =>
        {
            String(w, Rule, rule.Rule);
            w.WriteBoolean(Matched, rule.Matched);
            String(w, Error, rule.Error);
        });
        Objects(writer, Policies, trace.Policies, static (w, policy) =>
        {
            String(w, Workflow, policy.Workflow);
            String(w, MatchedRule, policy.MatchedRule);
        });
        if (trace.When is { } when)
        {
            writer.WriteStartObject(When);
            foreach (var (key, text) in when)
            {
                // Dictionary keys keep their spelling (no naming policy for keys); a null value is still written.
                writer.WriteString(key, text);
            }
            writer.WriteEndObject();
        }
        Objects(writer, LookedUp, trace.LookedUp, static (w, fact) =>
        {
            String(w, Field, fact.Field);
            if (fact.Value is { } value)
            {
                w.WriteBoolean(Value, value);
            }
            String(w, Source, fact.Source);
            Strings(w, Decisions, fact.Decisions);
            String(w, Error, fact.Error);
        });
    }

    /// <summary>An object written by <paramref name="write"/>, or nothing when it is null (the serializer leaves nulls out).</summary>
    private static void Object<T>(Utf8JsonWriter writer, JsonEncodedText name, T? value, Action<Utf8JsonWriter, T> write)
        where T : class
    {
        if (value is null)
        {
            return;
        }
        writer.WriteStartObject(name);
        write(writer, value);
        writer.WriteEndObject();
    }

    /// <summary>A list of objects, each written by <paramref name="write"/>; a null item is a JSON null, as the serializer writes it.</summary>
    private static void Objects<T>(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<T>? items, Action<Utf8JsonWriter, T> write)
        where T : class
    {
        if (items is null)
        {
            return;
        }
        writer.WriteStartArray(name);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item is null)
            {
                writer.WriteNullValue();
                continue;
            }
            writer.WriteStartObject();
            write(writer, item);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void String(Utf8JsonWriter writer, JsonEncodedText name, string? text)
    {
        if (text is not null)
        {
            writer.WriteString(name, text);
        }
    }

    private static void Strings(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string>? texts)
    {
        if (texts is null)
        {
            return;
        }
        writer.WriteStartArray(name);
        for (var i = 0; i < texts.Count; i++)
        {
            writer.WriteStringValue(texts[i]);
        }
        writer.WriteEndArray();
    }

    private static void Timestamp(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteString(name, value);
        }
    }
}
