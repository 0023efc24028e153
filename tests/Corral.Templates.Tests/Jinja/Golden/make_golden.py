#!/usr/bin/env python3
"""Regenerates golden.json: expected renders of the chat templates in ../Templates by Python's Jinja2, set up the
way Hugging Face transformers renders chat templates. Not run by CI; needs python3-jinja2 (Debian).
Usage: python3 make_golden.py  (from any folder)"""
import json, os, sys
from datetime import datetime
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.ext import loopcontrols, Extension
from jinja2 import nodes

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "..", "Templates")


class Generation(Extension):
    # HF's AssistantTracker: {% generation %}...{% endgeneration %} renders its body unchanged.
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def raise_exception(message):
    raise RuntimeError("raise_exception: " + message)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols, Generation])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = lambda fmt: datetime(2025, 1, 15, 9, 5, 7).strftime(fmt)

TOOLS = [{
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "City name, e.g. \"Paris\""},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1, "maximum": 7.5},
            },
            "required": ["city"],
        },
    },
}, {
    "type": "function",
    "function": {"name": "get_time", "description": "Current time", "parameters": {"type": "object", "properties": {}}},
}]

USER = {"role": "user", "content": "Hello! Ünïcode ✓ \"quoted\" {braces} <tags>"}
ASSISTANT = {"role": "assistant", "content": "Hi there.\nHow can I help?"}
USER2 = {"role": "user", "content": "  What's the weather in Paris?  "}
SYSTEM = {"role": "system", "content": "You are a helpful assistant."}
CALL = {"role": "assistant", "content": "", "tool_calls": [{
    "id": "abc123XYZ", "type": "function",
    "function": {"name": "get_weather", "arguments": {"city": "Paris", "days": 2, "ratio": 0.5}}}]}
RESULT = {"role": "tool", "tool_call_id": "abc123XYZ", "name": "get_weather", "content": "{\"temp\": 21}"}
THOUGHT = {"role": "assistant", "content": "It is sunny.", "reasoning_content": "The tool said 21 degrees."}

CASES = {
    "user": dict(messages=[USER]),
    "user_assistant_user": dict(messages=[USER, ASSISTANT, USER2]),
    "system_user_assistant_user": dict(messages=[SYSTEM, USER, ASSISTANT, USER2]),
    "no_generation_prompt": dict(messages=[SYSTEM, USER, ASSISTANT], add_generation_prompt=False),
    "tools": dict(messages=[SYSTEM, USER2], tools=TOOLS),
    "tool_call_round_trip": dict(messages=[USER2, CALL, RESULT], tools=TOOLS),
    "tool_call_then_answer": dict(messages=[USER2, CALL, RESULT, THOUGHT, USER], tools=TOOLS),
    "thinking_on": dict(messages=[USER, THOUGHT, USER2], enable_thinking=True),
    "thinking_off": dict(messages=[USER, THOUGHT, USER2], enable_thinking=False),
    "content_parts": dict(messages=[{"role": "user", "content": [{"type": "text", "text": "part one"}, {"type": "text", "text": "part two"}]}]),
}


def main():
    out = []
    for name in sorted(os.listdir(TEMPLATES)):
        if not name.endswith(".jinja"):
            continue
        with open(os.path.join(TEMPLATES, name), encoding="utf-8") as f:
            source = f.read()
        template = env.from_string(source)
        for case, variables in CASES.items():
            variables = dict(variables)
            variables.setdefault("add_generation_prompt", True)
            variables.update(bos_token="<BOS>", eos_token="<EOS>")
            try:
                expected = template.render(**variables)
            except Exception as e:  # the template rejects this conversation: the C# engine must fail too
                out.append({"template": name, "case": case, "variables": variables, "error": str(e)})
                continue
            out.append({"template": name, "case": case, "variables": variables, "expected": expected})
    with open(os.path.join(HERE, "golden.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    print(len(out), "cases", sum(1 for c in out if "error" in c), "errors", file=sys.stderr)


main()
