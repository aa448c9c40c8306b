using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Contracts;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ComplaintDiagnostics.Api.OpenApi;

internal static class SwaggerSetup
{
    public static IServiceCollection AddContractSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "ComplaintDiagnostics",
                Version = "v1",
                Description = "Diagnoses network complaints from the rule files that NOC staff edit. "
                    + "Enum values are matched case-insensitively and written exactly as listed.",
            });
            foreach (var assembly in new[] { typeof(Program).Assembly, typeof(DiagnoseRequest).Assembly })
            {
                var xml = Path.Combine(AppContext.BaseDirectory, $"{assembly.GetName().Name}.xml");
                if (File.Exists(xml))
                {
                    options.IncludeXmlComments(xml);
                }
            }
            // A reference the contract types declare non-null (rulesVersion, a reply's text) is always written, never null.
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
            options.SchemaFilter<WireEnumSchemaFilter>();
            options.OperationFilter<DiagnoseExamplesFilter>();
            options.OperationFilter<FollowUpExampleFilter>();
        });
        return services;
    }

    public static WebApplication UseContractSwagger(this WebApplication app)
    {
        // Only /swagger requests pass Swashbuckle's middleware: it resolves its document generator from the request's
        // services on every request it sees, which on the diagnose path was half a percent of the service's CPU.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase), swagger =>
        {
            swagger.UseSwagger();
            swagger.UseSwaggerUI(options => options.DocumentTitle = "ComplaintDiagnostics API");
        });
        return app;
    }

    /// <summary>The contract writes enums as strings through its own converter, which Swashbuckle cannot
    /// see; describe them as the strings actually accepted.</summary>
    private sealed class WireEnumSchemaFilter : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (!context.Type.IsEnum || schema is not OpenApiSchema concrete)
            {
                return;
            }
            var names = (IEnumerable<string>)typeof(ContractJson).GetMethod(nameof(ContractJson.WireNames))!
                .MakeGenericMethod(context.Type).Invoke(null, null)!;
            concrete.Type = JsonSchemaType.String;
            concrete.Format = null;
            concrete.Enum = [.. names.Select(n => (JsonNode)JsonValue.Create(n))];
        }
    }

    /// <summary>A follow-up example: the provincial enterprise's fault of the diagnose examples, contacted late, at 13:30.</summary>
    private sealed class FollowUpExampleFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.MethodInfo?.Name.StartsWith("FollowUpAsync", StringComparison.Ordinal) != true
                || operation.RequestBody?.Content?.TryGetValue("application/json", out var media) != true
                || media is null)
            {
                return;
            }
            var complaint = DiagnoseExamples.All.Single(e => e.Key == "groupFault").Request;
            var received = complaint.ReceivedAt!.Value;
            media.Examples = new Dictionary<string, IOpenApiExample>
            {
                ["overdue"] = new OpenApiExample
                {
                    Summary = "A provincial enterprise's fault: contacted after its 15 minutes, not repaired 4 h later",
                    Value = JsonSerializer.SerializeToNode(new FollowUpRequest
                    {
                        Complaint = complaint,
                        Now = received.AddHours(4).AddMinutes(30),
                        Progress = new FollowUpProgress { ContactedAt = received.AddMinutes(25), Postponements = 0 },
                    }, ContractJson.Options),
                },
            };
        }
    }

    /// <summary>On the diagnose endpoints: the Accept-Language header (which picks the reply language; a browser
    /// sends its own, so Swagger UI shows it as a parameter to set), one request example per complaint type, and
    /// the real answer of the rules in service to each as the response example.</summary>
    private sealed class DiagnoseExamplesFilter(Core.Rules.RuleSetHolder holder, Core.Diagnosis.Diagnoser diagnoser) : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.MethodInfo?.Name.StartsWith("DiagnoseAsync", StringComparison.Ordinal) != true
                && context.MethodInfo?.Name.StartsWith("DiagnoseBatchAsync", StringComparison.Ordinal) != true
                && context.MethodInfo?.Name.StartsWith("FollowUpAsync", StringComparison.Ordinal) != true)
            {
                return;
            }
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Accept-Language",
                In = ParameterLocation.Header,
                Required = false,
                Description = "The language of reply texts, cause and action labels: zh-CN (the default) or en. A browser sends its own; set it here.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("zh-CN"), JsonValue.Create("en")] },
            });
            if (!context.MethodInfo.Name.StartsWith("DiagnoseAsync", StringComparison.Ordinal)
                || operation.RequestBody?.Content?.TryGetValue("application/json", out var media) != true
                || media is null)
            {
                return;
            }
            media.Examples = DiagnoseExamples.All.ToDictionary(
                e => e.Key,
                e => (IOpenApiExample)new OpenApiExample
                {
                    Summary = e.Summary,
                    Value = JsonSerializer.SerializeToNode(e.Request, ContractJson.Options),
                });
            if (holder.Current is { } rules
                && operation.Responses?.TryGetValue("200", out var ok) == true
                && ok.Content?.TryGetValue("application/json", out var answer) == true && answer is OpenApiMediaType answers)
            {
                answers.Examples = DiagnoseExamples.All.ToDictionary(
                    e => e.Key,
                    e => (IOpenApiExample)new OpenApiExample
                    {
                        Summary = e.Summary,
                        Value = JsonSerializer.SerializeToNode(
                            diagnoser.DiagnoseAsync(rules, e.Request, []).GetAwaiter().GetResult(), ContractJson.Options),
                    });
            }
        }
    }
}
