package example.hello;

import com.google.re2j.Pattern;

public final class Main {
  private Main() {}

  public static void main(String[] args) {
    String who = args.length > 0 ? args[0] : "world";
    System.out.println(Pattern.matches("[a-z]+", who) ? "hello " + who : "hello stranger");
  }
}
