/* placeholder: filled in by issue 6 work */
int main(void) { return 0; }
