package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"
)

// completionShells are the shells `auditpack completion` writes for.
var completionShells = []string{"bash", "fish", "zsh"}

func (env *environment) completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		ArgsUsage: "bash|zsh|fish",
		Usage:     "print a shell completion script for auditpack's commands and flags",
		Description: `The script is generated from auditpack's own command definitions, so it
always matches this version. Load it once per shell or install it:

   source <(auditpack completion bash)                    # bash, this shell
   auditpack completion bash > /etc/bash_completion.d/auditpack
   source <(auditpack completion zsh)                     # zsh, in ~/.zshrc after compinit
   auditpack completion fish > ~/.config/fish/completions/auditpack.fish`,
		Action: func(c *cli.Context) error {
			return env.runCompletion(c.Context, c.App, c.Args().First())
		},
	}
}

func (env *environment) manCommand() *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: "print auditpack's manual page (roff), generated from its command definitions",
		Description: `   auditpack man > auditpack.1 && man ./auditpack.1
   auditpack man | gzip > /usr/local/share/man/man1/auditpack.1.gz`,
		Action: func(c *cli.Context) error {
			return env.runMan(c.Context, c.App)
		},
	}
}

// runCompletion writes the completion script of one shell.
func (env *environment) runCompletion(_ context.Context, app *cli.App, shell string) error {
	switch shell {
	case "bash":
		return writeBashCompletion(env.stdout, app, false)
	case "zsh":
		return writeBashCompletion(env.stdout, app, true)
	case "fish":
		return writeFishCompletion(env.stdout, app)
	}
	return &usageError{fmt.Sprintf("completion: unknown shell %q (valid: %s)", shell, strings.Join(completionShells, ", "))}
}

// runMan writes the manual page.
func (env *environment) runMan(_ context.Context, app *cli.App) error {
	page := &cli.App{Name: app.Name, Usage: app.Usage, Description: app.Description, Flags: app.Flags,
		Commands: withoutHelp(app.Commands)}
	s, err := page.ToManWithSection(1)
	if err != nil {
		return fmt.Errorf("manual page: %w", err)
	}
	_, err = io.WriteString(env.stdout, s)
	return err
}

// withoutHelp copies a command tree without urfave/cli's help commands.
// The library shares one help command between every command and may have
// made it its own subcommand by the time the page is written, which its
// page writer would follow for ever; the page describes help once, in its
// synopsis.
func withoutHelp(cmds []*cli.Command) []*cli.Command {
	var out []*cli.Command
	for _, c := range cmds {
		if c.Name == "help" || c.Hidden {
			continue
		}
		cp := *c
		cp.Subcommands = withoutHelp(c.Subcommands)
		out = append(out, &cp)
	}
	return out
}

// commandPath is one command as typed after "auditpack", with what a
// shell may complete after it.
type commandPath struct {
	path  string // "" for auditpack itself, "model convert" for a subcommand
	subs  []completionWord
	flags []completionFlag
}

// completionWord is a subcommand with its one-line usage.
type completionWord struct{ name, usage string }

// completionFlag is a flag's names (long first, as defined) and usage.
type completionFlag struct {
	names      []string
	usage      string
	takesValue bool
}

// words are the subcommands, then the flags as typed.
func (p commandPath) words() []string {
	var w []string
	for _, s := range p.subs {
		w = append(w, s.name)
	}
	for _, f := range p.flags {
		for _, n := range f.names {
			w = append(w, dashed(n))
		}
	}
	return w
}

func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// commandPaths lists every command of app with its subcommands and flags,
// in the order of the definitions, so the script is the same every time.
// urfave/cli's own help command and flags are listed once, at the top
// level and as --help everywhere.
func commandPaths(app *cli.App) []commandPath {
	var out []commandPath
	help := completionFlag{names: []string{"help", "h"}, usage: "show help"}
	var walk func(path string, cmds []*cli.Command, flags []cli.Flag)
	walk = func(path string, cmds []*cli.Command, flags []cli.Flag) {
		cp := commandPath{path: path}
		for _, c := range cmds {
			if !c.Hidden && c.Name != "help" {
				cp.subs = append(cp.subs, completionWord{c.Name, c.Usage})
			}
		}
		seen := map[string]bool{}
		for _, f := range flags {
			names := f.Names()
			if len(names) == 0 || seen[names[0]] || names[0] == "help" || names[0] == "version" {
				continue
			}
			seen[names[0]] = true
			cf := completionFlag{names: names}
			if d, ok := f.(cli.DocGenerationFlag); ok {
				cf.usage, cf.takesValue = plainUsage(d.GetUsage()), d.TakesValue()
			}
			cp.flags = append(cp.flags, cf)
		}
		cp.flags = append(cp.flags, help)
		out = append(out, cp)
		for _, c := range cmds {
			if !c.Hidden && c.Name != "help" {
				walk(strings.TrimSpace(path+" "+c.Name), c.Subcommands, c.Flags)
			}
		}
	}
	walk("", app.Commands, app.Flags)
	out[0].subs = append(out[0].subs, completionWord{"help", "show the commands, or one command's help"})
	out[0].flags = append(out[0].flags, completionFlag{names: []string{"version", "v"}, usage: "print the version"})
	return out
}

// plainUsage is a flag's usage without the backquotes that name its value.
func plainUsage(s string) string { return strings.ReplaceAll(s, "`", "") }

// writeBashCompletion writes a bash completion function; for zsh, the same
// function behind zsh's bash completion emulation.
func writeBashCompletion(w io.Writer, app *cli.App, zsh bool) error {
	paths := commandPaths(app)
	var b strings.Builder
	if zsh {
		b.WriteString("# zsh completion for auditpack, from `auditpack completion zsh`: source it after compinit.\n")
		b.WriteString("autoload -U +X bashcompinit && bashcompinit\n")
	} else {
		b.WriteString("# bash completion for auditpack, from `auditpack completion bash`.\n")
	}
	b.WriteString(`_auditpack() {
    local cur path word i known opts
    cur="${COMP_WORDS[COMP_CWORD]}"
    path=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        case "$word" in -*) continue ;; esac
        known=0
        case "${path:+$path }$word" in
`)
	for _, p := range paths[1:] {
		fmt.Fprintf(&b, "            %q) known=1 ;;\n", p.path)
	}
	b.WriteString(`        esac
        if [[ $known == 1 ]]; then path="${path:+$path }$word"; fi
    done
    case "$path" in
`)
	for _, p := range paths {
		fmt.Fprintf(&b, "        %q) opts=%q ;;\n", p.path, strings.Join(p.words(), " "))
	}
	b.WriteString(`        *) opts="" ;;
    esac
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -o default -F _auditpack auditpack
`)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeFishCompletion writes fish completions: each command's subcommands
// and flags, with their usage, offered once the words typed so far name
// that command.
func writeFishCompletion(w io.Writer, app *cli.App) error {
	paths := commandPaths(app)
	var b strings.Builder
	b.WriteString("# fish completion for auditpack, from `auditpack completion fish`.\n")
	b.WriteString("function __auditpack_path\n    set -l path ''\n    for word in (commandline -opc)[2..-1]\n")
	b.WriteString("        string match -q -- '-*' $word; and continue\n")
	b.WriteString("        set -l next (string trim -- \"$path $word\")\n        if contains -- $next")
	for _, p := range paths[1:] {
		b.WriteString(" " + fishQuote(p.path))
	}
	b.WriteString("\n            set path $next\n        end\n    end\n    echo $path\nend\n")
	b.WriteString("function __auditpack_is\n    set -l path (__auditpack_path)\n    test \"$path\" = \"$argv[1]\"\nend\n")
	for _, p := range paths {
		cond := fishQuote("__auditpack_is " + fishQuote(p.path))
		for _, s := range p.subs {
			fmt.Fprintf(&b, "complete -c auditpack -n %s -f -a %s -d %s\n", cond, fishQuote(s.name), fishQuote(s.usage))
		}
		for _, f := range p.flags {
			fmt.Fprintf(&b, "complete -c auditpack -n %s", cond)
			for _, n := range f.names {
				if len(n) == 1 {
					fmt.Fprintf(&b, " -s %s", n)
				} else {
					fmt.Fprintf(&b, " -l %s", n)
				}
			}
			if f.takesValue {
				b.WriteString(" -r")
			}
			fmt.Fprintf(&b, " -d %s\n", fishQuote(f.usage))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fishQuote quotes s for fish: single quotes, with \ and ' escaped.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
