try:
    from briefpack.cli import main
except KeyboardInterrupt:  # Ctrl-C before cli.py could take it over: nothing can have changed
    import sys

    sys.stderr.write("stopped; nothing was changed\n")
    raise SystemExit(130) from None

main()
