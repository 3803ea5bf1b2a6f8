from deepfakesweb.cli import main

main()
