# bash completion for sessiondesk-cli (commands, flags, format ids, rules). Installed by the .deb into
# /usr/share/bash-completion/completions/sessiondesk-cli.

# The format ids come from the CLI being completed (`formats --ids`): a new format needs no change here.
_sessiondesk_cli_formats()
{
    local exe=${1/#\~/$HOME}
    "$exe" formats --ids 2>/dev/null
}

_sessiondesk_cli()
{
    local cur prev words cword
    _init_completion || return

    local commands="formats inspect convert peers prune audit dedupe vault bundle identity help"
    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    local cmd=${words[1]}
    case $prev in
        --format|--to)
            COMPREPLY=($(compgen -W "$(_sessiondesk_cli_formats "${words[0]}")" -- "$cur"))
            return ;;
        --fail-on)
            COMPREPLY=($(compgen -W "low medium high" -- "$cur"))
            return ;;
        --fix)
            COMPREPLY=($(compgen -W "world-readable string-in-text-file duplicate-auth-key all" -- "$cur"))
            return ;;
        --type)
            COMPREPLY=($(compgen -W "user chat channel" -- "$cur"))
            return ;;
        -o|--output|--passcode-file|--new-passcode-file|--vault|--vault-file|--keep|--passphrase-file|--recipients-file|--identity|--password-file)
            _filedir
            return ;;
        --account|--api-id|--user-id|--limit|--older-than|--keep-newest|--stale-days|--threads|--label|--search|--variant|--recipient|--key|--session|--target-session|--tdesktop-version|--work-factor)
            return ;;
    esac
    local flags=""
    # Server stores given by URL (postgres://, redis://) and age bundles.
    local server="--session --password-file --remember-password" bundlekeys="--identity --passphrase-file"
    case $cmd in
        formats) flags="--json --ids" ;;
        inspect) flags="--format --passcode-file --key --load-peers --ignore-version --json $server $bundlekeys" ;;
        convert) flags="--to -o --output --account --all-accounts --api-id --user-id --no-peers --variant --force --passcode-file --new-passcode-file --key --tdesktop-version --target-session --ignore-version --format --json $server $bundlekeys" ;;
        peers) flags="--type --search --limit --format --passcode-file --json --csv $server $bundlekeys" ;;
        prune) flags="--older-than --type --keep-newest --drop-phones --clear --dry-run --no-backup --format --json $server" ;;
        audit) flags="--recursive -r --fail-on --stale-days --threads --json --fix --dry-run --yes --keep --delete-duplicates --vault $server" ;;
        dedupe) flags="--fix --dry-run --no-backup --format --json" ;;
        vault)
            if [[ $cword -eq 2 ]]; then
                COMPREPLY=($(compgen -W "list import export remove" -- "$cur"))
                return
            fi
            # Each subcommand's own flags (sessiondesk-cli vault SUB --help).
            case ${words[2]} in
                list) flags="--vault --json" ;;
                import) flags="--vault --json --label --account --format --passcode-file --key $server $bundlekeys" ;;
                export) flags="--vault --to -o --output --force --api-id --user-id --no-peers --variant --new-passcode-file --tdesktop-version $server" ;;
                remove) flags="--vault --json --force" ;;
            esac ;;
        bundle)
            if [[ $cword -eq 2 ]]; then
                COMPREPLY=($(compgen -W "create" -- "$cur"))
                return
            fi
            case ${words[2]} in
                create) flags="-o --output --recipient --recipients-file --passphrase-file --work-factor --force --vault --vault-file --all --format --passcode-file --identity --json" ;;
            esac ;;
        identity) flags="--json" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$flags --help" -- "$cur"))
        return
    fi
    _filedir
}
complete -F _sessiondesk_cli sessiondesk-cli
