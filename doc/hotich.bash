# bash completion for hotich: subcommands, and each one's options as its
# own --help lists them (so the completion never falls behind the program).
_hotich()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmds="run ingest ocr validate merge dedup import-existing import-batch export review status report fixtures help"
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
		return
	fi
	local cmd=${COMP_WORDS[1]}
	case $prev in
	--kind) COMPREPLY=($(compgen -W "ks kh kt auto" -- "$cur")); return ;;
	--format) COMPREPLY=($(compgen -W "csv json ndjson xlsx" -- "$cur")); return ;;
	--reason) COMPREPLY=($(compgen -W "field duplicate missing page" -- "$cur")); return ;;
	--db|--out) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	if [ "$cmd" = help ]; then
		COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
	elif [[ $cur == -* ]]; then
		local opts
		opts=$("${COMP_WORDS[0]}" "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _hotich hotich
