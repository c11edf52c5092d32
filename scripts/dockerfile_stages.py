"""The Dockerfile read as Docker reads it: its stages, their steps and the settings a stage's image carries.

Shared by scripts/deploy-rootfs-check, scripts/image-check and scripts/deploy-consistency, so the three read one file
one way. Not a full Dockerfile parser: it knows the instructions this project's Dockerfile uses.
"""
import json
import re


def parse_dockerfile(path):
    """Stages: name -> {"from": ..., "steps": [(instruction, argument text)]}, and their order. Continuations joined,
    comments dropped."""
    lines, current = [], ""
    for raw in open(path):
        line = raw.rstrip("\n")
        stripped = line.strip()
        if stripped.startswith("#"):
            continue  # a comment line, also inside a continued instruction
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        if current.strip():
            lines.append(current.strip())
        current = ""
    stages, order, name = {}, [], None
    for line in lines:
        instruction, _, rest = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            m = re.match(r"(\S+)(?:\s+AS\s+(\S+))?", rest, re.I)
            name = m.group(2) or f"stage{len(order)}"
            stages[name] = {"from": m.group(1), "steps": []}
            order.append(name)
        elif name is not None:
            stages[name]["steps"].append((instruction, rest.strip()))
    return stages, order


def exec_form(text):
    text = text.strip()
    return json.loads(text) if text.startswith("[") else ["/bin/sh", "-c", text]


def stage_settings(stages, name):
    """USER, ENV, ENTRYPOINT, CMD, HEALTHCHECK, WORKDIR, EXPOSE and STOPSIGNAL of a stage, following FROM <earlier stage>."""
    chain = []
    while name in stages:
        chain.append(name)
        name = stages[name]["from"]
    settings = {"user": "0:0", "env": {}, "entrypoint": [], "cmd": [], "healthcheck": None, "workdir": "/",
                "expose": [], "stopsignal": "SIGTERM"}
    for stage in reversed(chain):
        for instruction, rest in stages[stage]["steps"]:
            if instruction == "USER":
                settings["user"] = rest
            elif instruction == "ENV":
                for key, value in re.findall(r'(\w+)=("[^"]*"|\S+)', rest):
                    settings["env"][key] = value.strip('"')
            elif instruction == "ENTRYPOINT":
                settings["entrypoint"] = exec_form(rest)
                settings["cmd"] = []
            elif instruction == "CMD":
                settings["cmd"] = exec_form(rest)
            elif instruction == "HEALTHCHECK":
                settings["healthcheck"] = exec_form(rest[rest.index("CMD") + 3:])
            elif instruction == "WORKDIR":
                settings["workdir"] = rest
            elif instruction == "EXPOSE":
                settings["expose"] += [int(p.split("/")[0]) for p in rest.split()]
            elif instruction == "STOPSIGNAL":
                settings["stopsignal"] = rest
    return settings


def header_comment(path):
    """The comment block before the first instruction (what a reader of the file sees first), without the `# `."""
    lines = []
    for raw in open(path):
        if not raw.startswith("#"):
            break
        lines.append(raw[1:].rstrip("\n").removeprefix(" "))
    return "\n".join(lines)
